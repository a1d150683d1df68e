using Velero.Sdk.Filtering;

namespace Velero.Sdk.Cluster;

/// <summary>What the engines learn about a cluster at the start: its version and the resources it serves.</summary>
/// <param name="GitVersion">The server's <c>gitVersion</c>, e.g. <c>v1.32.2</c>.</param>
/// <param name="Major">The server's major version.</param>
/// <param name="Minor">The server's minor version.</param>
/// <param name="Discovery">The served resources, preferred versions, in Velero's order (<c>extensions</c> last).</param>
internal sealed record ClusterInfo(string GitVersion, string Major, string Minor, DiscoverySnapshot Discovery);
