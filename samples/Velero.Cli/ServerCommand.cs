using System.Runtime.InteropServices;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Velero.Cli.CommandLine;
using Velero.Sdk.Hosting;
using Velero.Sdk.Model;

namespace Velero.Cli;

/// <summary>
/// <c>velero server</c>: the hosted reconciler (<c>AddVelero</c>) in this process against <c>--kubeconfig</c>: installs the
/// velero.io CRDs when missing, makes <c>--storage</c> the default BackupStorageLocation (named <c>default</c>) when the
/// namespace has none, and prints <c>server ready</c> on stdout once its controllers watch. Logs go to stderr; Ctrl-C or
/// SIGTERM stops it.
/// </summary>
internal static class ServerCommand
{
    public static Command Server { get; } = new(
        "server", string.Empty, "server [flags]",
        "Run the Velero server (backups, restores, schedules, GC, sync) in this process against the cluster",
        [
            new("restore-only", FlagKind.Bool, "Run in a mode where only restores are allowed; backups, schedules, and garbage-collection are all disabled"),
            new("default-backup-ttl", FlagKind.String, "How long to wait by default before backups can be garbage collected (default 720h0m0s)"),
            new("concurrent-backups", FlagKind.String, "How many backups run at once (default 1)"),
            new("log-level", FlagKind.String, "The level at which to log: debug, info, warning, error (default info)"),
        ],
        RunAsync);

    private static async Task<int> RunAsync(CliContext ctx, ParsedArgs a)
    {
        if (a.Arguments.Count > 0)
        {
            throw new UsageException($"unknown command \"{a.Arguments[0]}\" for \"velero server\"");
        }

        var cluster = ctx.Cluster;
        using (var client = new Kubernetes(cluster))
        {
            await VeleroCustomResourceDefinitions.InstallAsync(client).ConfigureAwait(false);
            await EnsureNamespaceAsync(client, ctx.Namespace).ConfigureAwait(false);
            var existing = await client.CustomObjects.ListNamespacedCustomObjectAsync<V1BackupStorageLocationList>(
                VeleroConstants.Group, VeleroConstants.Version, ctx.Namespace, V1BackupStorageLocation.KubePluralName).ConfigureAwait(false);
            if (existing.Items.Count > 0)
            {
                ctx.Err.WriteLine($"Using the {existing.Items.Count} BackupStorageLocation(s) of namespace {ctx.Namespace}; --storage is not added.");
                ctx.UseStorageAsLocation = false;
            }
        }

        var ttl = a.Get("default-backup-ttl") is { } t ? ParseDuration(t, "default-backup-ttl") : (TimeSpan?)null;
        var concurrent = a.Get("concurrent-backups") is { } c ? int.TryParse(c, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n
            : throw new UsageException($"invalid argument \"{c}\" for \"--concurrent-backups\" flag: not a number") : 1;
        var level = (a.Get("log-level") ?? "info").ToLowerInvariant() switch
        {
            "debug" => LogLevel.Debug,
            "info" => LogLevel.Information,
            "warning" => LogLevel.Warning,
            "error" => LogLevel.Error,
            var other => throw new UsageException($"invalid argument \"{other}\" for \"--log-level\" flag: use debug, info, warning or error"),
        };

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(level);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSingleton<IHostLifetime, ConsoleLifetimeWithoutBanner>();
        var velero = builder.Services.AddVelero(o =>
        {
            o.Namespace = ctx.Namespace;
            o.RestoreOnly = a.GetBool("restore-only") ?? false;
            o.ConcurrentBackups = concurrent;
            if (ttl is { } value)
            {
                o.Backup.DefaultTtl = value;
            }
        }).UseKubernetes(cluster);
        ctx.AddLocations(velero);

        using var host = builder.Build();
        var server = host.Services.GetRequiredService<VeleroServer>();
        await host.StartAsync().ConfigureAwait(false);
        await server.WaitUntilReadyAsync().ConfigureAwait(false);
        await ctx.Out.WriteLineAsync("server ready").ConfigureAwait(false);
        await ctx.Out.FlushAsync().ConfigureAwait(false);
        await host.WaitForShutdownAsync().ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static TimeSpan ParseDuration(string text, string flag) =>
        GoDuration.TryParse(text, out var value) && value > TimeSpan.Zero ? value
            : throw new UsageException($"invalid argument \"{text}\" for \"--{flag}\" flag: time: invalid duration \"{text}\"");

    private static async Task EnsureNamespaceAsync(Kubernetes client, string ns)
    {
        try
        {
            await client.CoreV1.ReadNamespaceAsync(ns).ConfigureAwait(false);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }).ConfigureAwait(false);
        }
    }

    /// <summary>Ctrl-C and SIGTERM stop the host; no "Application started" banner on stdout (stdout carries only "server ready").</summary>
    private sealed class ConsoleLifetimeWithoutBanner(IHostApplicationLifetime lifetime) : IHostLifetime, IDisposable
    {
        private readonly List<PosixSignalRegistration> _signals = [];

        public Task WaitForStartAsync(CancellationToken cancellationToken)
        {
            foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT })
            {
                _signals.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    context.Cancel = true;
                    lifetime.StopApplication();
                }));
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
            foreach (var s in _signals)
            {
                s.Dispose();
            }
        }
    }
}
