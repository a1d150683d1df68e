using System.Text.Json.Nodes;
using Velero.Sdk.Actions;
using Velero.Sdk.Model;
using Velero.Sdk.Restore;
using Velero.Sdk.Testing.Snapshots;

namespace Velero.Sdk.Tests.Restore;

public sealed class RestoreVolumesActionsHooksTests : IAsyncLifetime
{
    private RestoreFixture _f = null!;

    public async Task InitializeAsync() => _f = await RestoreFixture.StartAsync(ExtraObjects());

    public async Task DisposeAsync() => await _f.DisposeAsync();

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    private static IEnumerable<JsonObject> ExtraObjects()
    {
        yield return Obj("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"ops"},"status":{"phase":"Active"}}""");
        yield return Obj("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"np","namespace":"ops",
               "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"name\":\"keep\",\"port\":81,\"nodePort\":30081}]}}"}},
             "spec":{"type":"NodePort","clusterIP":"10.96.3.3","clusterIPs":["10.96.3.3"],
                     "ports":[{"name":"keep","port":81,"nodePort":30081,"protocol":"TCP"},{"name":"drop","port":82,"nodePort":30082,"protocol":"TCP"}]}}
            """);
        yield return Obj("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"headless","namespace":"ops"},"spec":{"clusterIP":"None","ports":[{"port":80}]}}""");
        yield return Obj("""
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"once","namespace":"ops"},
             "spec":{"selector":{"matchLabels":{"controller-uid":"abc","batch.kubernetes.io/controller-uid":"abc"}},
                     "template":{"metadata":{"labels":{"controller-uid":"abc","job-name":"once"}},"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"registry.old.example/tools:1"}]}}}}
            """);
        yield return Obj("""{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"done","namespace":"ops"},"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"x"}]}}},"status":{"completionTime":"2024-01-01T00:00:00Z"}}""");
        yield return Obj("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"finished","namespace":"ops"},"spec":{"containers":[{"name":"c","image":"x"}]},"status":{"phase":"Succeeded"}}""");
        yield return Obj("""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"bot","namespace":"ops"},"secrets":[{"name":"bot-token-aaaaa"},{"name":"other"},{"name":"bot-token-bbbbb"}]}""");
        yield return Obj("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"worker","namespace":"ops",
               "annotations":{"init.hook.restore.velero.io/container-image":"busybox","init.hook.restore.velero.io/container-name":"prepare","init.hook.restore.velero.io/command":"[\"/bin/prepare\",\"--fast\"]"}},
             "spec":{"nodeName":"n1","priority":100,"priorityClassName":"high","serviceAccountName":"bot",
                     "initContainers":[{"name":"restore-wait","image":"velero/restore-helper"},{"name":"setup","image":"busybox"}],
                     "containers":[{"name":"c","image":"registry.old.example/worker:2","volumeMounts":[{"name":"bot-token-aaaaa","mountPath":"/var/run/secrets"},{"name":"data","mountPath":"/data"}]}],
                     "volumes":[{"name":"bot-token-aaaaa","secret":{"secretName":"bot-token-aaaaa"}},{"name":"data","emptyDir":{}}]},
             "status":{"phase":"Running"}}
            """);
        yield return Obj("""{"apiVersion":"scheduling.k8s.io/v1","kind":"PriorityClass","metadata":{"name":"high"},"value":1000}""");
        yield return Obj("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"bot-token-aaaaa","namespace":"ops","annotations":{"kubernetes.io/service-account.name":"bot","kubernetes.io/service-account.uid":"u"}},"type":"kubernetes.io/service-account-token","data":{"token":"dA==","ca.crt":"Yw==","namespace":"b3Bz"}}""");
    }

    [Fact]
    public async Task Built_in_actions_reset_services_jobs_pods_and_service_accounts_and_skip_completed_items()
    {
        await _f.BackupAsync(b => b.IncludeNamespaces("ops"));
        var result = await _f.RestoreAsync(r => r.IncludeNamespaces("ops"));
        result.Phase.ShouldBe(RestorePhase.Completed, string.Join("; ", result.Errors.All().Concat(result.Warnings.All())));

        var np = _f.Target.GetObject("v1", "Service", "ops", "np")!;
        np["spec"]!["clusterIP"]!.GetValue<string>().ShouldNotBe("10.96.3.3", "cluster IPs are allocated anew");
        var ports = np["spec"]!["ports"]!.AsArray();
        ports.Single(p => p!["name"]!.GetValue<string>() == "keep")!["nodePort"]!.GetValue<int>().ShouldBe(30081, "explicit in last-applied");
        ports.Single(p => p!["name"]!.GetValue<string>() == "drop")!["nodePort"]!.GetValue<int>().ShouldNotBe(30082, "re-allocated: it was not set by the user");
        _f.Target.GetObject("v1", "Service", "ops", "headless")!["spec"]!["clusterIP"]!.GetValue<string>().ShouldBe("None");

        var job = _f.Target.GetObject("batch/v1", "Job", "ops", "once")!;
        job["spec"]!["template"]!["metadata"]!["labels"]!["controller-uid"]?.GetValue<string>().ShouldNotBe("abc", "the old job's uid label is dropped (the server sets the new one)");
        job["spec"]!["selector"]!["matchLabels"]!["batch.kubernetes.io/controller-uid"]?.GetValue<string>().ShouldNotBe("abc");
        job["spec"]!["template"]!["metadata"]!["labels"]!["job-name"]!.GetValue<string>().ShouldBe("once");
        _f.Target.GetObject("batch/v1", "Job", "ops", "done").ShouldBeNull("completed jobs are not restored");
        _f.Target.GetObject("v1", "Pod", "ops", "finished").ShouldBeNull("completed pods are not restored");

        var sa = _f.Target.GetObject("v1", "ServiceAccount", "ops", "bot")!;
        sa["secrets"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).ShouldBe(["other"]);

        var pod = _f.Target.GetObject("v1", "Pod", "ops", "worker")!;
        pod["spec"]!.AsObject().ContainsKey("nodeName").ShouldBeFalse();
        pod["spec"]!["volumes"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()).ShouldBe(["data"]);
        pod["spec"]!["containers"]![0]!["volumeMounts"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()).ShouldBe(["data"]);
        pod["spec"]!["initContainers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ShouldBe(["prepare", "setup"], "stale restore-wait dropped; the hook's init container first");
        pod["spec"]!["initContainers"]![0]!["command"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["/bin/prepare", "--fast"]);
        _f.Target.GetObject("scheduling.k8s.io/v1", "PriorityClass", null, "high").ShouldNotBeNull("the pod's priority class is restored with it");

        // The auto-created token secret of an account that now exists is skipped.
        _f.Target.GetObject("v1", "Secret", "ops", "bot-token-aaaaa").ShouldBeNull();
        result.Items.ShouldContain(new RestoredItem("v1", "Secret", "ops", "bot-token-aaaaa", RestoredItemAction.Skipped));
    }

    [Fact]
    public async Task Plugin_config_maps_change_images_and_storage_classes()
    {
        await _f.BackupAsync(b => b.IncludeNamespaces("ops", "shop"));
        await _f.Target.SeedAsync(Obj("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"velero"}}"""));
        await _f.Target.SeedAsync(Obj("""{"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"name":"premium"},"provisioner":"x"}"""));
        await _f.Target.SeedAsync(Obj("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"images","namespace":"velero","labels":{"velero.io/plugin-config":"","velero.io/change-image-name":"RestoreItemAction"}},
             "data":{"a":"registry.old.example, registry.new.example","b":"no-comma-is-ignored"}}
            """));
        await _f.Target.SeedAsync(Obj("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"classes","namespace":"velero","labels":{"velero.io/plugin-config":"","velero.io/change-storage-class":"RestoreItemAction"}},
             "data":{"standard":"premium"}}
            """));

        var result = await _f.RestoreAsync(r => r.IncludeNamespaces("ops", "shop").ExcludeResources("widgets.example.com"));

        result.Phase.ShouldBe(RestorePhase.Completed, string.Join("; ", result.Errors.All()));
        _f.Target.GetObject("batch/v1", "Job", "ops", "once")!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>().ShouldBe("registry.new.example/tools:1");
        _f.Target.GetObject("v1", "Pod", "ops", "worker")!["spec"]!["containers"]![0]!["image"]!.GetValue<string>().ShouldBe("registry.new.example/worker:2");
        _f.Target.GetObject("v1", "PersistentVolumeClaim", "shop", "data")!["spec"]!["storageClassName"]!.GetValue<string>().ShouldBe("premium");
    }

    [Fact]
    public async Task Volumes_are_created_from_their_snapshots_and_renamed_when_the_original_is_in_use()
    {
        var snapshotter = new InMemoryVolumeSnapshotter();
        void Setup(VeleroClientBuilder b) => b.AddVolumeSnapshotLocation("ebs", "aws", snapshotter);
        await _f.BackupAsync(b => b.IncludeNamespaces("shop"), setup: Setup);
        var snapshotId = snapshotter.Snapshots.Single().Key;

        var result = await _f.RestoreAsync(r => r.IncludeNamespaces("shop").IncludeClusterResources(true), setup: Setup);
        result.Phase.ShouldBe(RestorePhase.Completed, string.Join("; ", result.Errors.All()));
        var (newVolume, fromSnapshot) = snapshotter.VolumesFromSnapshots.Single();
        fromSnapshot.ShouldBe(snapshotId);
        var pv = _f.Target.GetObject("v1", "PersistentVolume", null, "pv-data")!;
        pv["spec"]!["awsElasticBlockStore"]!["volumeID"]!.GetValue<string>().ShouldBe(newVolume);
        _f.Target.GetObject("v1", "PersistentVolumeClaim", "shop", "data")!["spec"]!["volumeName"]!.GetValue<string>().ShouldBe("pv-data");

        // Into the source cluster with a mapping: pv-data is in use there, so the restored volume gets a new name.
        var copy = await _f.RestoreAsync(r => r.IncludeNamespaces("shop").MapNamespace("shop", "shop-copy").IncludeClusterResources(true).WithName("r2"), into: _f.Source, setup: Setup);
        copy.Phase.ShouldBe(RestorePhase.Completed, string.Join("; ", copy.Errors.All()));
        var claim = _f.Source.GetObject("v1", "PersistentVolumeClaim", "shop-copy", "data")!;
        var clone = claim["spec"]!["volumeName"]!.GetValue<string>();
        clone.ShouldStartWith("velero-clone-");
        var cloned = _f.Source.GetObject("v1", "PersistentVolume", null, clone)!;
        cloned["metadata"]!["annotations"]![VeleroAnnotations.OriginalPvName]!.GetValue<string>().ShouldBe("pv-data");
        cloned["spec"]!["claimRef"]!["namespace"]!.GetValue<string>().ShouldBe("shop-copy");
        _f.Source.GetObject("v1", "PersistentVolume", null, "pv-data")!["spec"]!["claimRef"]!["namespace"]!.GetValue<string>().ShouldBe("shop", "the original is untouched");
    }

    [Fact]
    public async Task Restore_pvs_false_keeps_the_volume_s_original_id()
    {
        var snapshotter = new InMemoryVolumeSnapshotter();
        void Setup(VeleroClientBuilder b) => b.AddVolumeSnapshotLocation("ebs", "aws", snapshotter);
        await _f.BackupAsync(b => b.IncludeNamespaces("shop"), setup: Setup);
        var result = await _f.RestoreAsync(r => r.IncludeNamespaces("shop").IncludeClusterResources(true).RestorePVs(false), setup: Setup);
        result.Phase.ShouldBe(RestorePhase.Completed);
        snapshotter.VolumesFromSnapshots.ShouldBeEmpty();
        _f.Target.GetObject("v1", "PersistentVolume", null, "pv-data")!["spec"]!["awsElasticBlockStore"]!["volumeID"]!.GetValue<string>().ShouldBe("vol-0abc");
    }

    /// <summary>Adds the shop's config map as an additional item of the secret, and skips the service.</summary>
    private sealed class CustomAction : RestoreItemAction
    {
        public List<string> Seen { get; } = [];

        public override string Name => "example.com/custom";

        public override ResourceSelector AppliesTo { get; } = new() { IncludedResources = ["secrets", "services"], IncludedNamespaces = ["shop-b"] };

        public override Task<RestoreItemActionResult> ExecuteAsync(RestoreItemActionContext context, CancellationToken cancellationToken)
        {
            lock (Seen)
            {
                Seen.Add($"{context.Identifier.Resource}/{context.Identifier.Namespace}->{context.TargetNamespace}/{context.Identifier.Name}");
            }

            if (context.Identifier.Resource == "services")
            {
                return Task.FromResult(RestoreItemActionResult.Skip(context.Item));
            }

            context.Item["metadata"]!["annotations"] = new JsonObject { ["custom"] = "yes" };
            return Task.FromResult(new RestoreItemActionResult(context.Item, [new ResourceIdentifier("", "configmaps", "shop", "cfg")]) { WaitForAdditionalItems = true });
        }
    }

    [Fact]
    public async Task A_custom_action_changes_items_skips_items_and_restores_additional_items_first()
    {
        await _f.BackupAsync(b => b.IncludeNamespaces("shop"));
        var action = new CustomAction();
        var result = await _f.RestoreAsync(
            r => r.IncludeNamespaces("shop").IncludeResources("secrets", "services", "configmaps").MapNamespace("shop", "shop-b"),
            setup: b =>
            {
                b.AddRestoreItemAction(action);
                b.Restore.ResourceTimeout = TimeSpan.FromSeconds(20);
            });

        result.Phase.ShouldBe(RestorePhase.Completed, string.Join("; ", result.Errors.All()));
        action.Seen.Order().ShouldBe(["secrets/shop->shop-b/creds", "services/shop->shop-b/web"]);
        _f.Target.GetObject("v1", "Secret", "shop-b", "creds")!["metadata"]!["annotations"]!["custom"]!.GetValue<string>().ShouldBe("yes");
        _f.Target.GetObject("v1", "ConfigMap", "shop-b", "cfg").ShouldNotBeNull();
        _f.Target.GetObject("v1", "Service", "shop-b", "web").ShouldBeNull();
        result.Items.ShouldContain(new RestoredItem("v1", "Service", "shop-b", "web", RestoredItemAction.Skipped));
        var kinds = result.Items.Select(i => i.Kind).ToList();
        kinds.IndexOf("ConfigMap").ShouldBeLessThan(kinds.IndexOf("Secret"), "the additional item goes first, though config maps come after secrets in the priorities");
        result.Items.Count(i => i.Kind == "ConfigMap").ShouldBe(1, "restored once");
    }

    [Fact]
    public async Task Progress_counts_an_additional_item_once_though_its_own_tier_lists_it_too()
    {
        await _f.BackupAsync(b => b.IncludeNamespaces("shop"));
        var reports = new List<RestoreProgress>();
        using var client = _f.Client(_f.Target, b => b.AddRestoreItemAction(new CustomAction()));

        var result = await client.RestoreAsync(
            new RestoreBuilder("b1", "r1").IncludeNamespaces("shop").IncludeResources("secrets", "configmaps").MapNamespace("shop", "shop-b").Build(),
            new SynchronousProgress<RestoreProgress>(reports.Add));

        result.Phase.ShouldBe(RestorePhase.Completed, string.Join("; ", result.Errors.All()));
        // The engine's last report while running (the final one repeats the result's item count).
        var last = reports.Last(r => r.Phase == RestorePhase.InProgress);
        last.TotalItems.ShouldBe(2, "the secret and the config map its action pulls in (the namespace is made, not an archive item), not the config map twice");
        last.ItemsRestored.ShouldBe(last.TotalItems);
        result.Items.Count(i => i.Kind != "Namespace").ShouldBe(2);
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value)
        {
            lock (this)
            {
                report(value);
            }
        }
    }

    /// <summary>Keeps every context it is given, to read the items after the restore is over.</summary>
    private sealed class KeepingAction : RestoreItemAction
    {
        public List<RestoreItemActionContext> Kept { get; } = [];

        public override string Name => "example.com/keeping";

        public override ResourceSelector AppliesTo { get; } = new() { IncludedResources = ["configmaps"] };

        public override Task<RestoreItemActionResult> ExecuteAsync(RestoreItemActionContext context, CancellationToken cancellationToken)
        {
            lock (Kept)
            {
                Kept.Add(context);
            }

            return Task.FromResult(new RestoreItemActionResult(context.Item));
        }
    }

    [Fact]
    public async Task Items_a_custom_action_keeps_stay_readable_after_the_restore()
    {
        // The engine parses items over pooled memory it reuses once an item is done; items an action of ours saw are
        // released, but one a user's action saw may be kept by it, so its memory is never reused.
        await _f.BackupAsync(b => b.IncludeNamespaces("shop"));
        var action = new KeepingAction();
        var result = await _f.RestoreAsync(r => r.IncludeNamespaces("shop").IncludeResources("configmaps", "secrets"), setup: b => b.AddRestoreItemAction(action));

        result.Phase.ShouldBe(RestorePhase.Completed, string.Join("; ", result.Errors.All()));
        action.Kept.ShouldNotBeEmpty();
        foreach (var context in action.Kept)
        {
            var restored = _f.Target.GetObject("v1", "ConfigMap", "shop", context.Identifier.Name)!;
            context.Item["data"]!.ToJsonString().ShouldBe(restored["data"]!.ToJsonString());
            context.ItemFromBackup["metadata"]!["name"]!.GetValue<string>().ShouldBe(context.Identifier.Name);
            context.ItemFromBackup["metadata"]!["uid"].ShouldNotBeNull("the backed-up copy, before the reset");
        }
    }

    [Fact]
    public async Task Exec_hooks_run_once_the_container_runs_and_a_hook_that_waits_too_long_is_an_error()
    {
        await _f.BackupAsync(b => b.IncludeNamespaces("web"));
        var execs = new List<string>();
        _f.Target.Exec.Executed += (request, _) =>
        {
            lock (execs)
            {
                execs.Add($"{request.Namespace}/{request.Pod}/{request.Container}: {string.Join(' ', request.Command)}");
            }
        };
        _f.Target.Exec.Add(null, null, null, null, new ExecResult());
        var hook = new V1RestoreResourceHookSpec
        {
            Name = "warm",
            IncludedNamespaces = ["web"],
            PostHooks = [new V1RestoreResourceHook { Exec = new V1ExecRestoreHook { Command = ["/bin/warm", "up"], WaitTimeout = "20s" } }],
        };

        using var client = _f.Client(_f.Target);
        var operation = await client.StartRestoreAsync(new RestoreBuilder("b1", "r1").IncludeNamespaces("web").AddHook(hook).Build());

        // The pod is created; the hook waits for its container to run, which a test "kubelet" reports.
        using var http = new HttpClient { BaseAddress = _f.Target.BaseAddress };
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (_f.Target.GetObject("v1", "Pod", "web", "static") is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var status = """{"status":{"phase":"Running","containerStatuses":[{"name":"c","ready":true,"image":"busybox","imageID":"","restartCount":0,"state":{"running":{"startedAt":"2024-01-01T00:00:00Z"}}}]}}""";
        var patch = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/namespaces/web/pods/static/status") { Content = new StringContent(status, System.Text.Encoding.UTF8, "application/merge-patch+json") };
        (await http.SendAsync(patch)).EnsureSuccessStatusCode();

        var result = await operation.WaitForCompletionAsync();
        result.Phase.ShouldBe(RestorePhase.Completed, string.Join("; ", result.Errors.All()));
        execs.ShouldBe(["web/static/c: /bin/warm up"]);
        result.Restore.Status!.HookStatus!.HooksAttempted.ShouldBe(1);

        // A pod whose container never runs: the hook expires.
        hook.PostHooks[0].Exec!.WaitTimeout = "1s";
        var expired = await client.RestoreAsync(new RestoreBuilder("b1", "r2").IncludeNamespaces("web").MapNamespace("web", "web-2").AddHook(new V1RestoreResourceHookSpec
        {
            Name = "warm",
            PostHooks = hook.PostHooks,
        }).Build());
        expired.Phase.ShouldBe(RestorePhase.PartiallyFailed);
        expired.Errors.Namespaces!["web-2"].ShouldContain("hook warm in container c in pod web-2/static not executed: expired before executing");
    }
}
