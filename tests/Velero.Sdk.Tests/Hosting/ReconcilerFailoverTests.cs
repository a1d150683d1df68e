using Velero.Sdk.Hosting;
using Velero.Sdk.Model;

namespace Velero.Sdk.Tests.Hosting;

public sealed class ReconcilerFailoverTests
{
    private const string InterruptedBackup = "found a backup with status \"InProgress\" during the server starting, mark it as \"Failed\"";

    [Fact]
    public async Task A_host_restarted_during_a_backup_marks_it_Failed_with_the_reason()
    {
        await using var fx = await HostFixture.CreateAsync();
        var gated = new GatedObjectStore(fx.Store);
        var first = await fx.StartHostAsync(setup: v => v.AddObjectStoreProvider("memory", _ => gated));
        await fx.CreateAsync("backups", """{"apiVersion":"velero.io/v1","kind":"Backup","metadata":{"name":"cut"},"spec":{"includedNamespaces":["shop"]}}""");
        await gated.Waiting.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await fx.WaitForPhaseAsync("backups", "cut", BackupPhase.InProgress);
        await fx.StopHostAsync(first);
        ((string?)(await fx.GetAsync("backups", "cut"))!["status"]!["phase"]).ShouldBe(BackupPhase.InProgress);

        await fx.StartHostAsync();
        var failed = await fx.WaitForPhaseAsync("backups", "cut", BackupPhase.Failed);
        ((string?)failed["status"]!["failureReason"]).ShouldBe(InterruptedBackup);
        ((string?)failed["status"]!["completionTimestamp"]).ShouldNotBeNull();
        fx.Store.Keys.ShouldNotContain("backups/cut/velero-backup.json");
    }

    [Fact]
    public async Task Two_hosts_elect_one_leader_and_the_standby_takes_over_without_running_a_backup_twice()
    {
        await using var fx = await HostFixture.CreateAsync();
        var gated = new GatedObjectStore(fx.Store);
        void Lease(VeleroServerOptions o, string id)
        {
            o.LeaderElection.Enabled = true;
            o.LeaderElection.Identity = id;
            o.LeaderElection.LeaseDuration = TimeSpan.FromSeconds(3);
            o.LeaderElection.RenewDeadline = TimeSpan.FromSeconds(2);
            o.LeaderElection.RetryPeriod = TimeSpan.FromMilliseconds(250);
        }

        var a = await fx.StartHostAsync(o => Lease(o, "host-a"), v => v.AddObjectStoreProvider("memory", _ => gated), fakeTime: false);
        var serverA = fx.Velero;
        var b = await fx.StartHostAsync(o => Lease(o, "host-b"), v => v.AddObjectStoreProvider("memory", _ => gated), fakeTime: false, waitReady: false);
        var serverB = fx.Velero;
        serverA.IsLeader.ShouldBeTrue();
        await Task.Delay(TimeSpan.FromSeconds(1));
        serverB.IsLeader.ShouldBeFalse();

        // The leader starts a backup; it is held at the upload, then the leader goes away.
        await fx.CreateAsync("backups", """{"apiVersion":"velero.io/v1","kind":"Backup","metadata":{"name":"held"},"spec":{"includedNamespaces":["shop"]}}""");
        await gated.Waiting.Task.WaitAsync(TimeSpan.FromSeconds(30));
        serverB.IsLeader.ShouldBeFalse();
        await fx.StopHostAsync(a);

        // The standby takes over, fails what the old leader left InProgress, and runs new backups; nothing runs twice.
        await serverB.WaitUntilReadyAsync().WaitAsync(TimeSpan.FromSeconds(30));
        serverB.IsLeader.ShouldBeTrue();
        var held = await fx.WaitForPhaseAsync("backups", "held", BackupPhase.Failed);
        ((string?)held["status"]!["failureReason"]).ShouldBe(InterruptedBackup);
        gated.Open();
        await fx.CreateAsync("backups", """{"apiVersion":"velero.io/v1","kind":"Backup","metadata":{"name":"after"},"spec":{"includedNamespaces":["shop"]}}""");
        await fx.WaitForPhaseAsync("backups", "after", BackupPhase.Completed);
        gated.TarballAttempts["backups/held/held.tar.gz"].ShouldBe(1);
        gated.TarballAttempts["backups/after/after.tar.gz"].ShouldBe(1);
        ((string?)(await fx.GetAsync("backups", "held"))!["status"]!["phase"]).ShouldBe(BackupPhase.Failed);
        var lease = await fx.Http.GetStringAsync("/apis/coordination.k8s.io/v1/namespaces/velero/leases/velero-sdk");
        lease.ShouldContain("\"holderIdentity\":\"host-b\"");
        await fx.StopHostAsync(b);
    }
}
