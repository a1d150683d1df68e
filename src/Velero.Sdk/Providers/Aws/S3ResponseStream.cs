using Amazon.S3.Model;
using Velero.Sdk.Archive;

namespace Velero.Sdk.Providers.Aws;

/// <summary>The body of a GetObject response; disposing it releases the response and its connection.</summary>
internal sealed class S3ResponseStream(GetObjectResponse response) : ReadStreamBase
{
    private readonly Stream _body = response.ResponseStream;

    public override long Length => response.ContentLength;

    public override int Read(Span<byte> buffer) => _body.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _body.ReadAsync(buffer, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body.Dispose();
            response.Dispose();
        }

        base.Dispose(disposing);
    }
}
