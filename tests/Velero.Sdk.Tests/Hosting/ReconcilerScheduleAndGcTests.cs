using System.Text.Json.Nodes;
using k8s.Models;
using Velero.Sdk.Model;

namespace Velero.Sdk.Tests.Hosting;

public sealed class ReconcilerScheduleAndGcTests
{
    private static string Schedule(string name, string cron, string extra = "") =>
        $$$"""{"apiVersion":"velero.io/v1","kind":"Schedule","metadata":{"name":"{{{name}}}","labels":{"team":"shop"},"annotations":{"note":"nightly"}},"spec":{"schedule":"{{{cron}}}","template":{"includedNamespaces":["shop"],"ttl":"2h0m0s"}{{{extra}}}}}""";

    private static async Task<List<string>> BackupsOf(HostFixture fx, string schedule) =>
        [.. (await fx.ListAsync("backups")).Where(b => (string?)b!["metadata"]!["labels"]?["velero.io/schedule-name"] == schedule).Select(b => (string)b!["metadata"]!["name"]!).Order()];

    [Fact]
    public async Task A_new_schedule_backs_up_at_once_then_at_each_tick_and_not_while_its_backup_is_pending()
    {
        await using var fx = await HostFixture.CreateAsync();
        await fx.StartHostAsync();
        await fx.CreateAsync("schedules", Schedule("hourly", "0 * * * *"));

        // At once: named <schedule>-<yyyyMMddHHmmss> on the host's clock, with the schedule's labels and annotations.
        var first = await fx.WaitForPhaseAsync("backups", "hourly-20261128100030", BackupPhase.Completed);
        ((string?)first["metadata"]!["labels"]!["velero.io/schedule-name"]).ShouldBe("hourly");
        ((string?)first["metadata"]!["labels"]!["team"]).ShouldBe("shop");
        ((string?)first["metadata"]!["annotations"]!["note"]).ShouldBe("nightly");
        ((string?)first["spec"]!["ttl"]).ShouldBe("2h0m0s");
        var schedule = await fx.WaitForAsync("schedules", "hourly", s => s["status"]?["lastBackup"] is not null);
        ((string?)schedule["status"]!["phase"]).ShouldBe(SchedulePhase.Enabled);
        ((bool?)schedule["spec"]!["skipImmediately"]).ShouldBe(false);
        ((string?)schedule["status"]!["lastBackup"]).ShouldBe("2026-11-28T10:00:30Z");

        // Nothing more before the tick at 11:00; one backup after it (the check runs each minute).
        await fx.AdvanceAsync(TimeSpan.FromMinutes(58));
        (await BackupsOf(fx, "hourly")).ShouldBe(["hourly-20261128100030"]);
        await fx.AdvanceAsync(TimeSpan.FromMinutes(2));
        await fx.WaitForPhaseAsync("backups", "hourly-20261128110030", BackupPhase.Completed);
        (await BackupsOf(fx, "hourly")).Count.ShouldBe(2);
    }

    [Fact]
    public async Task SkipImmediately_skips_the_first_backup_and_is_reset_and_paused_or_invalid_schedules_take_none()
    {
        await using var fx = await HostFixture.CreateAsync();
        await fx.StartHostAsync();
        await fx.CreateAsync("schedules", Schedule("skipper", "*/30 * * * *", ""","skipImmediately":true"""));
        await fx.CreateAsync("schedules", Schedule("paused", "*/30 * * * *", ""","paused":true"""));
        await fx.CreateAsync("schedules", Schedule("bad", "61 * * * *"));
        await fx.CreateAsync("schedules", Schedule("empty", ""));

        var skipper = await fx.WaitForAsync("schedules", "skipper", s => (bool?)s["spec"]!["skipImmediately"] == false);
        ((string?)skipper["status"]!["lastSkipped"]).ShouldBe("2026-11-28T10:00:30Z");
        var bad = await fx.WaitForPhaseAsync("schedules", "bad", SchedulePhase.FailedValidation);
        ((string?)bad["status"]!["validationErrors"]![0]).ShouldStartWith("invalid schedule: ");
        var empty = await fx.WaitForPhaseAsync("schedules", "empty", SchedulePhase.FailedValidation);
        ((string?)empty["status"]!["validationErrors"]![0]).ShouldBe("Schedule must be a non-empty valid Cron expression");
        (await BackupsOf(fx, "skipper")).ShouldBeEmpty();

        // The next tick after the skip (10:30) brings the first backup; the paused schedule stays untouched.
        await fx.AdvanceAsync(TimeSpan.FromMinutes(31));
        await fx.WaitForPhaseAsync("backups", "skipper-20261128103030", BackupPhase.Completed);
        (await BackupsOf(fx, "paused")).ShouldBeEmpty();
        (await fx.GetAsync("schedules", "paused"))!["status"].ShouldBeNull();
    }

    [Fact]
    public async Task An_expired_backup_is_garbage_collected_with_its_bucket_data_snapshots_and_restores()
    {
        await using var fx = await HostFixture.CreateAsync();
        await fx.Server.SeedAsync(JsonNode.Parse("""
            {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv-gc"},
             "spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"persistentVolumeReclaimPolicy":"Delete",
                     "csi":{"driver":"ebs.csi.aws.com","volumeHandle":"vol-0gc"}}}
            """)!);
        await fx.StartHostAsync(setup: v => v.AddVolumeSnapshotLocation("snaps", new V1VolumeSnapshotLocationSpec { Provider = "memory" }));
        await fx.CreateAsync("backups", """{"apiVersion":"velero.io/v1","kind":"Backup","metadata":{"name":"short"},"spec":{"includedNamespaces":["shop"],"includeClusterResources":true,"ttl":"1h0m0s"}}""");
        var done = await fx.WaitForPhaseAsync("backups", "short", BackupPhase.Completed);
        fx.Snapshotter.Snapshots.Count.ShouldBeGreaterThanOrEqualTo(2); // the shop's volume and pv-gc
        ((int?)done["status"]!["volumeSnapshotsCompleted"]).ShouldBe(fx.Snapshotter.Snapshots.Count);
        await fx.CreateAsync("restores", """{"apiVersion":"velero.io/v1","kind":"Restore","metadata":{"name":"short-r"},"spec":{"backupName":"short","includedNamespaces":["shop"],"namespaceMapping":{"shop":"shop-gc"}}}""");
        await fx.WaitForPhaseAsync("restores", "short-r", RestorePhase.Completed);
        fx.Store.Keys.ShouldContain(k => k.StartsWith("restores/short-r/", StringComparison.Ordinal));

        // Not expired yet at the first hourly pass; gone after the next.
        await fx.AdvanceAsync(TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(59));
        (await fx.GetAsync("backups", "short")).ShouldNotBeNull();
        await fx.AdvanceAsync(TimeSpan.FromMinutes(62), TimeSpan.FromMinutes(31));
        await HostFixture.EventuallyAsync(async () => await fx.GetAsync("backups", "short") is null, "the expired backup is deleted");
        fx.Store.Keys.ShouldNotContain(k => k.StartsWith("backups/short/", StringComparison.Ordinal));
        fx.Store.Keys.ShouldNotContain(k => k.StartsWith("restores/short-r/", StringComparison.Ordinal));
        fx.Snapshotter.Snapshots.ShouldBeEmpty();
        (await fx.GetAsync("restores", "short-r")).ShouldBeNull();
        await HostFixture.EventuallyAsync(async () => (await fx.ListAsync("deletebackuprequests")).Count == 0, "the delete request is removed after success");
    }

    [Fact]
    public async Task GC_labels_a_backup_whose_location_is_missing_and_a_delete_request_for_a_missing_backup_is_processed_with_the_reason()
    {
        await using var fx = await HostFixture.CreateAsync();
        await fx.StartHostAsync();
        var orphan = await fx.CreateAsync("backups", """{"apiVersion":"velero.io/v1","kind":"Backup","metadata":{"name":"lost"},"spec":{"storageLocation":"gone"},"status":{"phase":"Completed","expiration":"2026-01-01T00:00:00Z"}}""");
        orphan.ShouldNotBeNull();
        await fx.AdvanceAsync(TimeSpan.FromHours(1), TimeSpan.FromMinutes(30));
        var labelled = await fx.WaitForAsync("backups", "lost", b => b["metadata"]!["labels"]?["velero.io/gc-failure"] is not null);
        ((string?)labelled["metadata"]!["labels"]!["velero.io/gc-failure"]).ShouldBe("BSLNotFound");

        await fx.CreateAsync("deletebackuprequests", """{"apiVersion":"velero.io/v1","kind":"DeleteBackupRequest","metadata":{"name":"del-missing"},"spec":{"backupName":"never-was"}}""");
        var processed = await fx.WaitForPhaseAsync("deletebackuprequests", "del-missing", DeleteBackupRequestPhase.Processed);
        ((string?)processed["status"]!["errors"]![0]).ShouldBe("backup not found");
    }
}
