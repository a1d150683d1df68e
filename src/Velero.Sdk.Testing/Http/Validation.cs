using System.Text.RegularExpressions;

namespace Velero.Sdk.Testing.Http;

/// <summary>Object name validation with the messages of Kubernetes' apimachinery validation.</summary>
internal static partial class Validation
{
    private const string Dns1123LabelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    private const string Dns1123SubdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    private const string Dns1035LabelMessage = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Label();

    /// <summary>The field errors of <c>metadata.name</c> for a resource, empty when valid.</summary>
    public static List<FieldError> Name(string plural, string group, string name)
    {
        var errors = new List<FieldError>();
        if (group.Length == 0 && plural is "namespaces")
        {
            if (name.Length > 63)
            {
                errors.Add(FieldError.InvalidValue("metadata.name", name, "must be no more than 63 characters"));
            }

            if (!Dns1123Label().IsMatch(name))
            {
                errors.Add(FieldError.InvalidValue("metadata.name", name, Dns1123LabelMessage));
            }
        }
        else if (group.Length == 0 && plural is "services")
        {
            if (name.Length > 63)
            {
                errors.Add(FieldError.InvalidValue("metadata.name", name, "must be no more than 63 characters"));
            }

            if (!Dns1035Label().IsMatch(name))
            {
                errors.Add(FieldError.InvalidValue("metadata.name", name, Dns1035LabelMessage));
            }
        }
        else
        {
            if (name.Length > 253)
            {
                errors.Add(FieldError.InvalidValue("metadata.name", name, "must be no more than 253 characters"));
            }

            if (!Dns1123Subdomain().IsMatch(name))
            {
                errors.Add(FieldError.InvalidValue("metadata.name", name, Dns1123SubdomainMessage));
            }
        }

        return errors;
    }
}
