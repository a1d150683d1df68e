using System.Net;

namespace Velero.Sdk.Cluster;

/// <summary>An error answer of the Kubernetes API server (a <c>Status</c> object), with its code, reason and message.</summary>
public sealed class KubernetesApiException : VeleroException
{
    /// <summary>Creates the exception.</summary>
    public KubernetesApiException()
        : this(HttpStatusCode.InternalServerError, string.Empty, "Kubernetes API error", string.Empty)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public KubernetesApiException(string message)
        : this(HttpStatusCode.InternalServerError, string.Empty, message, string.Empty)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public KubernetesApiException(string message, Exception innerException)
        : base(VeleroErrorCode.ClusterFailure, message, innerException)
    {
        Reason = string.Empty;
        Path = string.Empty;
    }

    /// <summary>Creates the exception for a failed request.</summary>
    public KubernetesApiException(HttpStatusCode statusCode, string reason, string message, string path)
        : base(statusCode == HttpStatusCode.NotFound ? VeleroErrorCode.NotFound : VeleroErrorCode.ClusterFailure, $"{message} ({(int)statusCode} {reason}; {path})")
    {
        StatusCode = statusCode;
        Reason = reason;
        ServerMessage = message;
        Path = path;
    }

    /// <summary>The HTTP status code.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The <c>reason</c> of the Status object (NotFound, Conflict, Expired...).</summary>
    public string Reason { get; }

    /// <summary>The server's message.</summary>
    public string? ServerMessage { get; }

    /// <summary>The request path.</summary>
    public string Path { get; }
}
