using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Velero.Sdk.Model;
using Velero.Sdk.Restore;

namespace Velero.Sdk.Tests.Restore;

public sealed class RestoreEngineTests : IAsyncLifetime
{
    private static readonly string[] ResetFields =
        ["generateName", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences", "managedFields"];

    private RestoreFixture _f = null!;

    public async Task InitializeAsync() => _f = await RestoreFixture.StartAsync([RetainedVolume, RetainedClaim]);

    public async Task DisposeAsync() => await _f.DisposeAsync();

    // A statically provisioned volume kept on release: restored as is (the retain path), its claim rebound to it.
    private static readonly JsonObject RetainedVolume = JsonNode.Parse("""
        {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv-logs","annotations":{"pv.kubernetes.io/bound-by-controller":"yes"}},
         "spec":{"capacity":{"storage":"2Gi"},"accessModes":["ReadWriteOnce"],"persistentVolumeReclaimPolicy":"Retain",
                 "claimRef":{"namespace":"web","name":"logs","uid":"1234","resourceVersion":"77"},"hostPath":{"path":"/logs"}},
         "status":{"phase":"Bound"}}
        """)!.AsObject();

    private static readonly JsonObject RetainedClaim = JsonNode.Parse("""
        {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"logs","namespace":"web",
           "annotations":{"pv.kubernetes.io/bind-completed":"yes","volume.kubernetes.io/storage-provisioner":"x"}},
         "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"2Gi"}},"volumeName":"pv-logs"},
         "status":{"phase":"Bound"}}
        """)!.AsObject();

    /// <summary>The object as the restore must have created it from the backed-up one: Velero's resets and the built-in actions' changes.</summary>
    private static JsonObject Comparable(JsonObject obj, bool restored)
    {
        var o = (JsonObject)obj.DeepClone();
        var metadata = (JsonObject)o["metadata"]!;
        foreach (var f in ResetFields)
        {
            metadata.Remove(f);
        }

        o.Remove("status");
        if (metadata["labels"] is JsonObject labels)
        {
            if (restored)
            {
                labels["velero.io/backup-name"]!.GetValue<string>().ShouldBe("b1");
                labels["velero.io/restore-name"]!.GetValue<string>().ShouldBe("r1");
            }

            labels.Remove("velero.io/backup-name");
            labels.Remove("velero.io/restore-name");
            if (labels.Count == 0)
            {
                metadata.Remove("labels");
            }
        }

        return o;
    }

    [Fact]
    public async Task Everything_comes_back_equal_after_the_documented_resets_and_unknown_fields_are_kept()
    {
        await _f.DisposeAsync();
        _f = await RestoreFixture.StartAsync([RetainedVolume, RetainedClaim], throughApi: true);
        await _f.BackupAsync();
        var tar = _f.Tarball();
        var backedUpItems = tar.Entries
            .Where(e => e.Name.StartsWith("resources/", StringComparison.Ordinal) && !e.Name.Contains("-preferredversion/", StringComparison.Ordinal))
            .Select(e => (e.Name, Object: JsonNode.Parse(e.Data)!.AsObject()))
            .Select(e => (e.Name, e.Object, ApiVersion: e.Object["apiVersion"]!.GetValue<string>(), Kind: e.Object["kind"]!.GetValue<string>(),
                Namespace: e.Object["metadata"]!["namespace"]?.GetValue<string>(), Name: e.Object["metadata"]!["name"]!.GetValue<string>()))
            .ToList();

        // What a new cluster already has (its system namespaces, default service accounts) is not compared.
        var preexisting = backedUpItems.Where(i => i.Kind != "Widget" && _f.Target.GetObject(i.ApiVersion, i.Kind, i.Namespace, i.Name) is not null).Select(i => i.Name + "/" + i.Kind + "/" + i.Namespace).ToHashSet();
        var result = await _f.RestoreAsync();

        result.Phase.ShouldBe(RestorePhase.Completed, string.Join("; ", result.Errors.All().Concat(result.Warnings.All())));
        var checkedItems = 0;
        foreach (var (path, backedUp, apiVersion, kind, ns, name) in backedUpItems)
        {
            if (preexisting.Contains(name + "/" + kind + "/" + ns))
            {
                continue;
            }

            var restored = _f.Target.GetObject(apiVersion, kind, ns, name);
            if (kind == "PersistentVolume" && name == "pv-data")
            {
                restored.ShouldBeNull("a Delete-policy volume without a snapshot is left to dynamic provisioning");
                continue;
            }

            restored.ShouldNotBeNull($"{path} was not restored");
            var expected = Comparable(backedUp, restored: false);
            var actual = Comparable(restored, restored: true);
            switch (kind)
            {
                case "Pod":
                    ((JsonObject)expected["spec"]!).Remove("nodeName");
                    break;
                case "Service":
                    ((JsonObject)expected["spec"]!).Remove("clusterIP");
                    ((JsonObject)expected["spec"]!).Remove("clusterIPs");
                    ((JsonObject)actual["spec"]!).Remove("clusterIP");
                    ((JsonObject)actual["spec"]!).Remove("clusterIPs");
                    break;
                case "PersistentVolumeClaim" when name == "data":
                    ((JsonObject)expected["spec"]!).Remove("volumeName"); // its volume is re-provisioned
                    break;
                case "PersistentVolumeClaim" when name == "logs":
                    ((JsonObject)expected["metadata"]!).Remove("annotations"); // binding and provisioner annotations removed
                    break;
                case "PersistentVolume" when name == "pv-logs":
                    var claimRef = (JsonObject)expected["spec"]!["claimRef"]!;
                    claimRef.Remove("uid");
                    claimRef.Remove("resourceVersion");
                    ((JsonObject)expected["metadata"]!).Remove("annotations");
                    break;
            }

            JsonAssert.Equal(expected, actual);
            checkedItems++;
        }

        checkedItems.ShouldBeGreaterThan(15);
        var pod = _f.Target.GetObject("v1", "Pod", "shop", "web-0")!;
        pod["futureTopLevelField"]!.ToJsonString().ShouldBe("""{"keep":[1,2.50,"x"]}""");
        _f.Target.GetObject("example.com/v1", "Widget", "shop", "w1")!["spec"]!["unknownNested"]!.ToJsonString().ShouldBe("""{"a":true}""");
        result.Items.ShouldContain(new RestoredItem("v1", "PersistentVolume", null, "pv-data", RestoredItemAction.Skipped));
        result.Items.ShouldContain(new RestoredItem("example.com/v1", "Widget", "shop", "w1", RestoredItemAction.Created));
    }

    [Fact]
    public async Task Two_namespaces_are_remapped_at_once_with_their_references()
    {
        await _f.BackupAsync(b => b.IncludeNamespaces("shop", "web"));
        var result = await _f.RestoreAsync(r => r.MapNamespace("shop", "shop-copy").MapNamespace("web", "web-copy").IncludeClusterResources(true));

        result.Phase.ShouldBe(RestorePhase.Completed, string.Join("; ", result.Errors.All()));
        _f.Target.GetObject("v1", "ConfigMap", "shop-copy", "cfg").ShouldNotBeNull();
        _f.Target.GetObject("v1", "ConfigMap", "web-copy", "page").ShouldNotBeNull();
        _f.Target.GetObject("v1", "ConfigMap", "shop", "cfg").ShouldBeNull();
        _f.Target.GetObject("apps/v1", "Deployment", "shop-copy", "web").ShouldNotBeNull();

        // The namespace object is made from the backed-up one under its new name: labels kept, restore labels added.
        var ns = _f.Target.GetObject("v1", "Namespace", null, "shop-copy")!;
        ns["metadata"]!["labels"]!["team"]!.GetValue<string>().ShouldBe("shop");
        ns["metadata"]!["labels"]!["velero.io/restore-name"]!.GetValue<string>().ShouldBe("r1");

        // References: the service account's cluster role binding subject and the retained volume's claim.
        var binding = _f.Target.GetObject("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", null, "runner-binding")!;
        binding["subjects"]![0]!["namespace"]!.GetValue<string>().ShouldBe("shop-copy");
        var pv = _f.Target.GetObject("v1", "PersistentVolume", null, "pv-logs")!;
        pv["spec"]!["claimRef"]!["namespace"]!.GetValue<string>().ShouldBe("web-copy");
        pv["spec"]!["claimRef"]!.AsObject().ContainsKey("uid").ShouldBeFalse();
        _f.Target.GetObject("v1", "PersistentVolumeClaim", "web-copy", "logs")!["spec"]!["volumeName"]!.GetValue<string>().ShouldBe("pv-logs");
    }

    [Fact]
    public async Task Restoring_into_the_source_cluster_creates_what_is_missing_and_reports_or_updates_what_differs()
    {
        await _f.BackupAsync(b => b.IncludeNamespaces("shop"));
        using var kube = new Kubernetes(_f.Source.CreateClientConfiguration());
        await kube.CoreV1.DeleteNamespacedConfigMapAsync("cfg", "shop");
        await kube.CoreV1.PatchNamespacedSecretAsync(new V1Patch("""{"data":{"p":"Y2hhbmdlZA=="}}""", V1Patch.PatchType.MergePatch), "creds", "shop");

        var result = await _f.RestoreAsync(r => r.IncludeNamespaces("shop"), into: _f.Source);

        result.Phase.ShouldBe(RestorePhase.Completed);
        result.Items.ShouldContain(new RestoredItem("v1", "ConfigMap", "shop", "cfg", RestoredItemAction.Created));
        result.Items.ShouldContain(new RestoredItem("v1", "Secret", "shop", "creds", RestoredItemAction.Failed));
        result.Warnings.Namespaces!["shop"].ShouldContain("could not restore, Secret:creds already exists. Warning: the in-cluster version is different than the backed-up version");
        _f.Source.GetObject("v1", "Secret", "shop", "creds")!["data"]!["p"]!.GetValue<string>().ShouldBe("Y2hhbmdlZA==");

        var updated = await _f.RestoreAsync(r => r.IncludeNamespaces("shop").WithExistingResourcePolicy("update").WithName("r2"), into: _f.Source);
        updated.Items.ShouldContain(new RestoredItem("v1", "Secret", "shop", "creds", RestoredItemAction.Updated));
        _f.Source.GetObject("v1", "Secret", "shop", "creds")!["data"]!["p"]!.GetValue<string>().ShouldBe("cGFzcw==");
        _f.Source.GetObject("v1", "Secret", "shop", "creds")!["metadata"]!["labels"]!["velero.io/restore-name"]!.GetValue<string>().ShouldBe("r2");
    }

    [Fact]
    public async Task A_restore_of_more_items_than_it_keeps_in_memory_reports_and_lists_every_one()
    {
        // 4,096 handled items are kept in memory and the rest wait in the restore's spill file; the archive index's records
        // are in the reader's record file: the result and the uploaded resource list must still name every item.
        await _f.Source.SeedAsync(JsonNode.Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"many"}}""")!);
        const int count = 4_300;
        for (int i = 0; i < count; i++)
        {
            await _f.Source.SeedAsync(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject { ["name"] = $"cm-{(i * 7) % count:D4}", ["namespace"] = "many" },
                ["data"] = new JsonObject { ["i"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            });
        }

        await _f.BackupAsync(b => b.IncludeNamespaces("many"));
        var result = await _f.RestoreAsync(setup: b => (b.Kubernetes.Qps, b.Kubernetes.Burst) = (0, 0)); // 4,300 creates at 100/s would take 43 s

        result.Phase.ShouldBe(RestorePhase.Completed);
        var configMaps = result.Items.Where(i => i.Kind == "ConfigMap").ToList();
        configMaps.Select(i => i.Name).Order(StringComparer.Ordinal).ShouldBe(Enumerable.Range(0, count).Select(i => $"cm-{i:D4}"));
        configMaps.ShouldAllBe(i => i.Namespace == "many" && i.Action == RestoredItemAction.Created);
        result.Items.ShouldContain(i => i.Kind == "Namespace" && i.Name == "many");

        using var client = _f.Client(_f.Target);
        var list = await client.BackupStore.GetRestoreResourceListAsync("r1");
        list["v1/ConfigMap"].ShouldBe(Enumerable.Range(0, count).Select(i => $"many/cm-{i:D4}(created)"));
        using var target = new Kubernetes(_f.Target.CreateClientConfiguration());
        (await target.CoreV1.ListNamespacedConfigMapAsync("many")).Items.Count(c => c.Metadata.Name.StartsWith("cm-", StringComparison.Ordinal)).ShouldBe(count);
    }

    [Fact]
    public async Task Results_logs_and_resource_list_are_uploaded_under_restores()
    {
        await _f.BackupAsync(b => b.IncludeNamespaces("web"));
        var result = await _f.RestoreAsync();
        result.Phase.ShouldBe(RestorePhase.Completed);

        using var client = _f.Client(_f.Target);
        var list = await client.BackupStore.GetRestoreResourceListAsync("r1");
        list["v1/ConfigMap"].ShouldBe(["web/page(created)"]);
        list["v1/Namespace"].ShouldBe(["web(created)"]);
        (await client.BackupStore.GetRestoreResultsAsync("r1")).ShouldNotBeNull();
        await using var log = (await client.BackupStore.OpenRestoreLogAsync("r1"))!;
        var text = await new StreamReader(log).ReadToEndAsync();
        text.ShouldContain("restore=velero/r1");
        text.ShouldContain("Restore completed with phase Completed");

        // The Restore resource with its final status is kept beside them, so restores can be listed and described from the bucket.
        var restore = await client.BackupStore.GetRestoreAsync("r1");
        restore.Spec.BackupName.ShouldBe("b1");
        restore.Status!.Phase.ShouldBe(RestorePhase.Completed);
        restore.Status.CompletionTimestamp.ShouldNotBeNull();

        // The backup's log reads back as text too (one gzip layer in the bucket, as Velero writes it).
        await using var backupLog = (await client.BackupStore.OpenBackupLogAsync("b1"))!;
        (await new StreamReader(backupLog).ReadToEndAsync()).ShouldContain("Backup completed with phase Completed");
    }

    [Fact]
    public async Task Filters_select_namespaces_resources_and_labels()
    {
        await _f.BackupAsync();
        var result = await _f.RestoreAsync(r => r.IncludeNamespaces("sh*").IncludeResources("configmaps").WithLabelSelector("app=web"));

        result.Phase.ShouldBe(RestorePhase.Completed);
        result.Items.Where(i => i.Kind != "Namespace").Select(i => $"{i.Kind}/{i.Namespace}/{i.Name}").ShouldBe(["ConfigMap/shop/cfg"]);
        _f.Target.GetObject("v1", "ConfigMap", "web", "page").ShouldBeNull();
        _f.Target.GetObject("storage.k8s.io/v1", "StorageClass", null, "standard").ShouldBeNull("cluster-scoped items need every namespace or includeClusterResources");
    }

    [Fact]
    public async Task A_name_filter_beyond_velero_s_picks_objects_by_name_or_glob()
    {
        await _f.BackupAsync(b => b.IncludeNamespaces("shop", "web"));
        var result = await _f.RestoreAsync(r => r.IncludeNames("c*", "page").ExcludeNames("creds"));

        result.Phase.ShouldBe(RestorePhase.Completed, string.Join("; ", result.Errors.All()));
        result.Items.Where(i => i.Kind != "Namespace").Select(i => $"{i.Kind}/{i.Namespace}/{i.Name}").Order().ShouldBe(["ConfigMap/shop/cfg", "ConfigMap/web/page"]);
        Should.Throw<VeleroValidationException>(() => new RestoreBuilder("b1").IncludeNames("x").ExcludeNames("x").Build()).Message.ShouldContain("Invalid included/excluded name lists");
    }

    [Fact]
    public async Task A_missing_backup_fails_validation_and_a_schedule_restores_its_latest_completed_backup()
    {
        var missing = await _f.RestoreAsync(backup: "nope");
        missing.Phase.ShouldBe(RestorePhase.FailedValidation);
        missing.ValidationErrors.ShouldBe(["Error retrieving backup: backups.velero.io \"nope\" not found"]);
        using (var store = _f.Client(_f.Target))
        {
            var kept = await store.BackupStore.GetRestoreAsync(missing.Name);
            kept.Status!.Phase.ShouldBe(RestorePhase.FailedValidation, "a restore that failed validation is kept too, as its Restore would be in a cluster");
            kept.Status.ValidationErrors.ShouldBe(missing.ValidationErrors);
        }

        await _f.BackupAsync(b => b.IncludeNamespaces("web").WithLabel(VeleroLabels.ScheduleName, "nightly"), name: "nightly-1");
        await _f.BackupAsync(b => b.IncludeNamespaces("shop").WithLabel(VeleroLabels.ScheduleName, "nightly"), name: "nightly-2");
        using var client = _f.Client(_f.Target);
        var result = await client.RestoreAsync(new RestoreBuilder(name: "from-schedule").FromSchedule("nightly").Build());
        result.Restore.Spec.BackupName.ShouldBe("nightly-2");
        _f.Target.GetObject("v1", "ConfigMap", "shop", "cfg").ShouldNotBeNull();

        var none = await client.RestoreAsync(new RestoreBuilder(name: "none").FromSchedule("weekly").Build());
        none.Phase.ShouldBe(RestorePhase.FailedValidation);
        none.ValidationErrors.ShouldContain("No backups found for schedule");
    }

    [Fact]
    public async Task Priorities_put_namespaces_and_claims_before_pods_and_crds_before_their_resources()
    {
        await _f.BackupAsync(b => b.IncludeNamespaces("shop"));
        var result = await _f.RestoreAsync(setup: b => b.Restore.Workers = 1);
        result.Phase.ShouldBe(RestorePhase.Completed, string.Join("; ", result.Errors.All()));
        var kinds = result.Items.Select(i => i.Kind).ToList();
        kinds.IndexOf("CustomResourceDefinition").ShouldBeLessThan(kinds.IndexOf("Namespace"));
        kinds.IndexOf("Namespace").ShouldBeLessThan(kinds.IndexOf("PersistentVolumeClaim"));
        kinds.IndexOf("PersistentVolumeClaim").ShouldBeLessThan(kinds.IndexOf("Pod"));
        kinds.IndexOf("Pod").ShouldBeLessThan(kinds.IndexOf("Deployment"));
        kinds.IndexOf("Deployment").ShouldBeLessThan(kinds.IndexOf("Widget"));
    }
}
