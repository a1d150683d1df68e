using Velero.Sdk.Storage;

namespace Velero.Sdk.Tests;

/// <summary>An object store that passes every call on to another; test decorators override the calls they watch.</summary>
internal abstract class ForwardingObjectStore(ObjectStore inner) : ObjectStore
{
    protected ObjectStore Inner { get; } = inner;

    public override Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default) => Inner.PutAsync(key, content, cancellationToken);

    public override Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => Inner.ExistsAsync(key, cancellationToken);

    public override Task<Stream> GetAsync(string key, CancellationToken cancellationToken = default) => Inner.GetAsync(key, cancellationToken);

    public override IAsyncEnumerable<string> ListCommonPrefixesAsync(string prefix, string delimiter, CancellationToken cancellationToken = default) =>
        Inner.ListCommonPrefixesAsync(prefix, delimiter, cancellationToken);

    public override IAsyncEnumerable<string> ListKeysAsync(string prefix, CancellationToken cancellationToken = default) => Inner.ListKeysAsync(prefix, cancellationToken);

    public override Task DeleteAsync(string key, CancellationToken cancellationToken = default) => Inner.DeleteAsync(key, cancellationToken);
}
