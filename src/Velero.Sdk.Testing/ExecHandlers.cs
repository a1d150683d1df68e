namespace Velero.Sdk.Testing;

/// <summary>
/// The answers to <c>pods/exec</c> requests. Handlers are asked in registration order; the first that answers
/// wins. An exec that no handler answers fails with exit code 126.
/// </summary>
public sealed class ExecHandlers
{
    private readonly object _gate = new();
    private readonly List<Func<ExecRequest, CancellationToken, ValueTask<ExecResult?>>> _handlers = [];

    internal ExecHandlers()
    {
    }

    /// <summary>Raised after every exec with the request and the result sent (also for unanswered ones, with exit code 126).</summary>
    public event Action<ExecRequest, ExecResult>? Executed;

    /// <summary>Adds a handler; return null to let later handlers answer.</summary>
    /// <param name="handler">The handler.</param>
    public void Add(Func<ExecRequest, CancellationToken, ValueTask<ExecResult?>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            _handlers.Add(handler);
        }
    }

    /// <summary>Answers the execs that match; a null argument matches anything.</summary>
    /// <param name="ns">The namespace, or null for any.</param>
    /// <param name="pod">The pod, or null for any.</param>
    /// <param name="container">The container, or null for any.</param>
    /// <param name="command">The exact argv, or null for any.</param>
    /// <param name="result">The answer.</param>
    public void Add(string? ns, string? pod, string? container, IReadOnlyList<string>? command, ExecResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var argv = command?.ToArray();
        Add((r, _) => ValueTask.FromResult(
            (ns is null || ns == r.Namespace) && (pod is null || pod == r.Pod) && (container is null || container == r.Container)
            && (argv is null || argv.SequenceEqual(r.Command)) ? result : null));
    }

    /// <summary>Removes every handler.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _handlers.Clear();
        }
    }

    internal async ValueTask<ExecResult> RunAsync(ExecRequest request, CancellationToken cancellationToken)
    {
        Func<ExecRequest, CancellationToken, ValueTask<ExecResult?>>[] handlers;
        lock (_gate)
        {
            handlers = [.. _handlers];
        }

        ExecResult? result = null;
        foreach (var h in handlers)
        {
            result = await h(request, cancellationToken).ConfigureAwait(false);
            if (result is not null)
            {
                break;
            }
        }

        result ??= new ExecResult(string.Empty, $"no exec handler answers {request.Namespace}/{request.Pod}/{request.Container}: {string.Join(' ', request.Command)}\n", 126);
        Executed?.Invoke(request, result);
        return result;
    }
}
