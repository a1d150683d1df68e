using System.Globalization;
using System.Text;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Backup;

/// <summary>
/// The per-backup log (uploaded as <c>&lt;backup&gt;-logs.gz</c>) and the results it yields: every warning and error line is
/// counted and grouped as Velero groups them (namespaces, cluster, velero). Lines are written as plain text as they come (the
/// upload compresses them).
/// </summary>
internal sealed class BackupLog : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly TimeProvider _time;
    private readonly string _subject;
    private readonly string _subjectField;
    private readonly object _gate = new();
    private bool _closed;

    public BackupLog(Stream target, string backup, TimeProvider time, string subjectField = "backup")
    {
        _writer = new StreamWriter(target, new UTF8Encoding(false), 1 << 14, leaveOpen: true);
        _time = time;
        _subject = backup;
        _subjectField = subjectField;
    }

    public OperationResults Results { get; } = new();

    public void Info(string message) => Write("info", message, null, null, null);

    /// <summary>A warning; <paramref name="ns"/> null and <paramref name="resource"/> null means a Velero-level message.</summary>
    public void Warning(string message, string? ns = null, string? resource = null, string? name = null)
    {
        Write("warning", message, ns, resource, name);
        Add(Results.Warnings, message, ns, resource, name);
    }

    /// <summary>An error; counts toward the backup's errors and makes it PartiallyFailed.</summary>
    public void Error(string message, string? ns = null, string? resource = null, string? name = null)
    {
        Write("error", message, ns, resource, name);
        Add(Results.Errors, message, ns, resource, name);
    }

    /// <summary>
    /// A restore-style problem: the message is recorded as is, under <c>velero</c> when <paramref name="velero"/> is set,
    /// else under namespace <paramref name="ns"/>, or <c>cluster</c> when it is null.
    /// </summary>
    public void Problem(bool error, string message, string? ns, bool velero = false)
    {
        Write(error ? "error" : "warning", message, ns, null, null);
        var messages = error ? Results.Errors : Results.Warnings;
        if (velero)
        {
            messages.AddVelero(message);
        }
        else if (ns is null)
        {
            messages.AddCluster(message);
        }
        else
        {
            messages.AddNamespace(ns, message);
        }
    }

    /// <summary>Flushes the log (the target stays open).</summary>
    public void Close()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _writer.Flush();
            _writer.Dispose();
        }
    }

    public void Dispose() => Close();

    // Velero's results strings: " resource: /<r> name: /<n> message: /<msg>", parts present only when known.
    private static void Add(ResultMessages messages, string message, string? ns, string? resource, string? name)
    {
        if (resource is null && ns is null)
        {
            messages.AddVelero(message);
            return;
        }

        var sb = new StringBuilder();
        if (resource is not null)
        {
            sb.Append(" resource: /").Append(resource);
        }

        if (name is not null)
        {
            sb.Append(" name: /").Append(name);
        }

        sb.Append(" message: /").Append(message);
        messages.AddNamespace(ns ?? string.Empty, sb.ToString());
    }

    private void Write(string level, string message, string? ns, string? resource, string? name)
    {
        var line = new StringBuilder()
            .Append("time=\"").Append(_time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append('"')
            .Append(" level=").Append(level)
            .Append(" msg=").Append(Quote(message))
            .Append(' ').Append(_subjectField).Append('=').Append(_subject);
        if (resource is not null)
        {
            line.Append(" resource=").Append(resource);
        }

        if (ns is not null)
        {
            line.Append(" namespace=").Append(ns);
        }

        if (name is not null)
        {
            line.Append(" name=").Append(name);
        }

        lock (_gate)
        {
            if (!_closed)
            {
                _writer.WriteLine(line.ToString());
            }
        }
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
