using System.Text.Json.Nodes;
using Velero.Sdk.Model;

namespace Velero.Sdk.Tests.Hosting;

public sealed class ReconcilerBackupTests
{
    [Fact]
    public async Task A_backup_created_with_kubectl_completes_with_the_status_fields_Velero_sets()
    {
        await using var fx = await HostFixture.CreateAsync();
        await fx.StartHostAsync();
        using var temp = new TempFolder();
        var manifest = temp.Combine("backup.yaml");
        await File.WriteAllTextAsync(manifest, """
            apiVersion: velero.io/v1
            kind: Backup
            metadata:
              name: shop-1
              namespace: velero
            spec:
              includedNamespaces: [shop]
            """);
        using var kubectl = new KubectlRunner(fx.Server);
        (await kubectl.OkAsync("create", "--validate=false", "-f", manifest)).ShouldContain("backup.velero.io/shop-1 created");

        var backup = await fx.WaitForPhaseAsync("backups", "shop-1", BackupPhase.Completed);
        var status = backup["status"]!.AsObject();
        ((int)status["version"]!).ShouldBe(1);
        ((string?)status["formatVersion"]).ShouldBe("1.1.0");
        ((string?)status["startTimestamp"]).ShouldBe("2026-11-28T10:00:30Z");
        ((string?)status["expiration"]).ShouldBe("2026-12-28T10:00:30Z"); // 720 h after the start, on the host's clock
        ((string?)status["completionTimestamp"]).ShouldNotBeNull();
        ((int)status["progress"]!["totalItems"]!).ShouldBeGreaterThan(5);
        ((int)status["progress"]!["itemsBackedUp"]!).ShouldBe((int)status["progress"]!["totalItems"]!);
        ((string?)backup["metadata"]!["labels"]!["velero.io/storage-location"]).ShouldBe("default");
        ((string?)backup["metadata"]!["annotations"]!["velero.io/source-cluster-k8s-major-version"]).ShouldBe("1");
        ((string?)backup["spec"]!["storageLocation"]).ShouldBe("default");
        ((string?)backup["spec"]!["ttl"]).ShouldBe("720h0m0s");

        // Every status key we write is one real Velero writes; the keys all 12 real completed backups share are all there.
        var real = RealBackups();
        var allKeys = real.SelectMany(b => b["status"]!.AsObject().Select(kv => kv.Key)).ToHashSet();
        var commonKeys = real.Where(b => (string?)b["status"]!["phase"] == "Completed")
            .Select(b => b["status"]!.AsObject().Select(kv => kv.Key).ToHashSet()).Aggregate((a, b) => [.. a.Intersect(b)]);
        var ours = status.Select(kv => kv.Key).ToHashSet();
        ours.Except(allKeys).Where(k => k is not "hookStatus").ShouldBeEmpty();
        commonKeys.Except(ours).ShouldBeEmpty();

        // The bucket holds the backup with the same final phase, written last.
        fx.Store.Keys.ShouldContain("backups/shop-1/shop-1.tar.gz");
        fx.Store.PutLog[^1].ShouldBe("backups/shop-1/velero-backup.json");
        var stored = JsonNode.Parse(fx.Store.GetBytes("backups/shop-1/velero-backup.json")!)!;
        ((string?)stored["status"]!["phase"]).ShouldBe("Completed");
    }

    [Fact]
    public async Task Invalid_backups_fail_validation_with_Velero_reasons()
    {
        await using var fx = await HostFixture.CreateAsync();
        await fx.StartHostAsync();
        await fx.CreateAsync("backups", """{"apiVersion":"velero.io/v1","kind":"Backup","metadata":{"name":"mixed"},"spec":{"includedResources":["pods"],"includedClusterScopedResources":["nodes"]}}""");
        await fx.CreateAsync("backups", """{"apiVersion":"velero.io/v1","kind":"Backup","metadata":{"name":"nowhere"},"spec":{"storageLocation":"missing"}}""");

        var mixed = await fx.WaitForPhaseAsync("backups", "mixed", BackupPhase.FailedValidation);
        mixed["status"]!["validationErrors"]!.AsArray().Select(e => (string?)e).ShouldContain(BackupValidationMixedMessage);
        mixed["status"]!["completionTimestamp"].ShouldBeNull();
        var nowhere = await fx.WaitForPhaseAsync("backups", "nowhere", BackupPhase.FailedValidation);
        ((string?)nowhere["status"]!["validationErrors"]![0]).ShouldBe(
            "an existing backup storage location was not specified at backup creation time and the default missing was not found. Please address this issue (see `velero backup-location -h` for options) and create a new backup. Error: backupstoragelocations.velero.io \"missing\" not found");
        fx.Store.Keys.ShouldNotContain(k => k.StartsWith("backups/mixed/", StringComparison.Ordinal) || k.StartsWith("backups/nowhere/", StringComparison.Ordinal));
    }

    private static string BackupValidationMixedMessage => Sdk.Backup.BackupValidation.MixedFiltersMessage;

    internal static List<JsonObject> RealBackups()
    {
        var list = JsonNode.Parse(File.ReadAllText(TestData.Path("velero-backups", "velero-debug-bundle-2022-11-29", "extracted", "backups-202211290815.5634.json")))!;
        return [.. list["items"]!.AsArray().Select(i => i!.AsObject())];
    }
}
