using System.Text.Json.Nodes;
using Velero.Sdk.Model;

namespace Velero.Sdk.Tests.Cli;

/// <summary>
/// samples/Velero.Cli run as a child process against an in-process API server, with a folder as the bucket: velero's verbs,
/// flags, output formats and exit codes in direct mode.
/// </summary>
public sealed class CliTests : IAsyncLifetime, IDisposable
{
    private const string Seed = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop, labels: {team: shop}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: web}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: web-config, namespace: shop, labels: {app: web}}
        data: {greeting: hello}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: other, namespace: shop, labels: {app: other}}
        data: {x: y}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: web-credentials, namespace: shop, labels: {app: web}}
        type: Opaque
        stringData: {password: s3cret}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop, labels: {app: web}}
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: 80}]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop, labels: {app: web}}
        spec:
          replicas: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: web, image: nginx:1.27}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: page, namespace: web, labels: {app: web}}
        data: {index.html: hi}
        """;

    private readonly TempFolder _temp = new();
    private KubernetesApiServer _server = null!;
    private CliRunner _cli = null!;

    private string Bucket => _temp.Combine("bucket");

    public async Task InitializeAsync()
    {
        _server = await KubernetesApiServer.StartAsync();
        await _server.SeedYamlAsync(Seed);
        var kubeconfig = _server.WriteKubeconfig(_temp.Combine("kubeconfig"));
        _cli = new CliRunner(kubeconfig, Bucket, _temp.Combine("home"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_filtered_backup_into_a_folder_restores_into_a_mapped_namespace()
    {
        var backup = await _cli.RunAsync("backup", "create", "b1", "--include-namespaces", "shop", "--exclude-resources", "secrets", "--selector", "app=web", "--ttl", "24h");

        backup.ExitCode.ShouldBe(0, backup.ToString());
        backup.Stdout.ShouldContain("Backup request \"b1\" submitted successfully.");
        backup.Stdout.ShouldContain("Backup completed with status: Completed.");
        backup.Stderr.ShouldContain("backup b1 ", customMessage: "progress goes to stderr");
        Directory.GetDirectories(Bucket).Select(Path.GetFileName).ShouldBe(["backups"], "the folder is the bucket root, with Velero's folders only");
        var stored = JsonNode.Parse(File.ReadAllText(Path.Combine(Bucket, "backups", "b1", "velero-backup.json")))!;
        stored["spec"]!["includedNamespaces"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["shop"]);
        stored["spec"]!["excludedResources"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["secrets"]);
        stored["spec"]!["labelSelector"]!["matchLabels"]!["app"]!.GetValue<string>().ShouldBe("web");
        stored["spec"]!["ttl"]!.GetValue<string>().ShouldBe("24h0m0s");
        stored["status"]!["phase"]!.GetValue<string>().ShouldBe("Completed");

        var restore = await _cli.RunAsync("restore", "create", "r1", "--from-backup", "b1", "--namespace-mappings", "shop:shop-copy");

        restore.ExitCode.ShouldBe(0, restore.ToString());
        restore.Stdout.ShouldContain("Restore completed with status: Completed.");
        _server.GetObject("v1", "Namespace", null, "shop-copy").ShouldNotBeNull();
        var config = _server.GetObject("v1", "ConfigMap", "shop-copy", "web-config").ShouldNotBeNull();
        config["data"]!["greeting"]!.GetValue<string>().ShouldBe("hello");
        config["metadata"]!["labels"]!["velero.io/restore-name"]!.GetValue<string>().ShouldBe("r1");
        config["metadata"]!["labels"]!["velero.io/backup-name"]!.GetValue<string>().ShouldBe("b1");
        _server.GetObject("apps/v1", "Deployment", "shop-copy", "web").ShouldNotBeNull();
        _server.GetObject("v1", "Service", "shop-copy", "web").ShouldNotBeNull();
        _server.GetObject("v1", "ConfigMap", "shop-copy", "other").ShouldBeNull("the label selector left it out of the backup");
        _server.GetObject("v1", "Secret", "shop-copy", "web-credentials").ShouldBeNull("secrets were excluded");
        _server.GetObject("v1", "ConfigMap", "shop-copy", "page").ShouldBeNull("namespace web was not backed up");
        _server.GetObject("v1", "ConfigMap", "shop", "web-config")!["metadata"]!["labels"]!.AsObject().ContainsKey("velero.io/restore-name").ShouldBeFalse("the source is untouched");
        File.Exists(Path.Combine(Bucket, "restores", "r1", "velero-restore.json")).ShouldBeTrue();
    }

    [Fact]
    public async Task Get_and_describe_print_the_resources_with_their_status_from_the_bucket()
    {
        (await _cli.RunAsync("backup", "create", "b1", "--include-namespaces", "web", "--labels", "team=web")).ExitCode.ShouldBe(0);
        (await _cli.RunAsync("backup", "create", "b2", "--include-namespaces", "shop")).ExitCode.ShouldBe(0);
        (await _cli.RunAsync("restore", "create", "--from-backup", "b1", "--namespace-mappings", "web:web2")).ExitCode.ShouldBe(0);

        var one = await _cli.RunAsync("backup", "get", "b1", "-o", "json");
        one.ExitCode.ShouldBe(0, one.ToString());
        var backup = JsonNode.Parse(one.Stdout)!;
        backup["kind"]!.GetValue<string>().ShouldBe("Backup");
        backup["metadata"]!["name"]!.GetValue<string>().ShouldBe("b1");
        backup["metadata"]!["labels"]!["team"]!.GetValue<string>().ShouldBe("web");
        backup["status"]!["phase"]!.GetValue<string>().ShouldBe("Completed");
        backup["status"]!["progress"]!["itemsBackedUp"]!.GetValue<int>().ShouldBeGreaterThan(0);

        var all = JsonNode.Parse((await _cli.RunAsync("backup", "get", "-o", "json")).Stdout)!;
        all["kind"]!.GetValue<string>().ShouldBe("BackupList");
        all["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).ShouldBe(["b1", "b2"]);
        JsonNode.Parse((await _cli.RunAsync("backup", "get", "-l", "team=web", "-o", "json")).Stdout)!["metadata"]!["name"]!.GetValue<string>().ShouldBe("b1");

        var table = await _cli.RunAsync("backup", "get");
        table.Stdout.Split('\n')[0].ShouldStartWith("NAME   STATUS      ERRORS   WARNINGS   CREATED");
        table.Stdout.ShouldContain("b2     Completed   0        0");

        var describe = await _cli.RunAsync("backup", "describe", "b1", "--details");
        describe.ExitCode.ShouldBe(0);
        describe.Stdout.ShouldContain("Phase:  Completed");
        describe.Stdout.ShouldContain("Included:  web");
        describe.Stdout.ShouldContain("web/page");
        var yaml = await _cli.RunAsync("backup", "describe", "b2", "-o", "yaml");
        yaml.Stdout.ShouldStartWith("apiVersion: velero.io/v1\nkind: Backup\nmetadata:\n");
        yaml.Stdout.ShouldContain("\n  name: b2\n");
        yaml.Stdout.ShouldContain("\n    velero.io/source-cluster-k8s-major-version: \"1\"\n", customMessage: "a string that reads as a number is quoted");
        yaml.Stdout.ShouldContain("\n  phase: Completed\n");
        yaml.Stdout.ShouldContain("\n  includedNamespaces:\n  - shop\n");

        // The restore got a default name in UTC and is read back from restores/<name>/velero-restore.json.
        var restores = JsonNode.Parse((await _cli.RunAsync("restore", "get", "-o", "json")).Stdout)!;
        restores["kind"]!.GetValue<string>().ShouldBe("Restore");
        var name = restores["metadata"]!["name"]!.GetValue<string>();
        name.ShouldMatch(@"^b1-\d{14}$");
        var stamp = DateTime.ParseExact(name[3..], "yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal);
        (DateTime.UtcNow - stamp).Duration().ShouldBeLessThan(TimeSpan.FromMinutes(5), "default names are in UTC");
        restores["status"]!["phase"]!.GetValue<string>().ShouldBe("Completed");
        restores["spec"]!["namespaceMapping"]!["web"]!.GetValue<string>().ShouldBe("web2");
        var restoreDescribe = await _cli.RunAsync("restore", "describe", name, "--details");
        restoreDescribe.Stdout.ShouldContain("Backup:  b1");
        restoreDescribe.Stdout.ShouldContain("Namespace mappings:  web=web2");
        restoreDescribe.Stdout.ShouldContain("web2/page(created)");
        (await _cli.RunAsync("restore", "logs", name)).Stdout.ShouldContain("Restore completed with phase Completed");
        (await _cli.RunAsync("backup", "logs", "b1")).Stdout.ShouldContain("Backup completed with phase Completed");

        var missing = await _cli.RunAsync("backup", "get", "b1", "nope", "-o", "json");
        missing.ExitCode.ShouldBe(1);
        missing.Stderr.ShouldContain("backups.velero.io \"nope\" not found");
        JsonNode.Parse(missing.Stdout)!["metadata"]!["name"]!.GetValue<string>().ShouldBe("b1", "what was found is still printed");
        (await _cli.RunAsync("restore", "describe", "nope")).ExitCode.ShouldBe(1);
    }

    [Fact]
    public async Task Create_with_output_prints_the_resource_without_running_it_and_snapshot_volumes_keeps_unset_apart_from_false()
    {
        async Task<JsonNode> Spec(params string[] flags)
        {
            var run = await _cli.RunAsync(["backup", "create", "b1", "-o", "json", .. flags]);
            run.ExitCode.ShouldBe(0, run.ToString());
            return JsonNode.Parse(run.Stdout)!["spec"]!;
        }

        (await Spec()).AsObject().ContainsKey("snapshotVolumes").ShouldBeFalse("unset stays unset");
        (await Spec("--snapshot-volumes"))["snapshotVolumes"]!.GetValue<bool>().ShouldBeTrue();
        (await Spec("--snapshot-volumes=false"))["snapshotVolumes"]!.GetValue<bool>().ShouldBeFalse();
        (await Spec("--snapshot-volumes=true"))["snapshotVolumes"]!.GetValue<bool>().ShouldBeTrue();
        (await Spec("--include-cluster-resources=false"))["includeClusterResources"]!.GetValue<bool>().ShouldBeFalse();
        (await Spec())["includedNamespaces"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["*"], "velero's CLI sends *");
        var ordered = await Spec("--ordered-resources", "pods=shop/a,shop/b;persistentvolumeclaims=shop/c", "--or-selector", "app=web or tier=db");
        ordered["orderedResources"]!["pods"]!.GetValue<string>().ShouldBe("shop/a,shop/b");
        ordered["orLabelSelectors"]!.AsArray().Count.ShouldBe(2);

        var restore = await _cli.RunAsync("restore", "create", "r1", "--from-backup", "b1", "--restore-volumes=false", "--preserve-nodeports", "-o", "yaml");
        restore.ExitCode.ShouldBe(0, restore.ToString());
        restore.Stdout.ShouldContain("kind: Restore\n");
        restore.Stdout.ShouldContain("\n  restorePVs: false\n");
        restore.Stdout.ShouldContain("\n  preserveNodePorts: true\n");

        var table = await _cli.RunAsync("backup", "create", "b1", "-o", "table");
        table.Stdout.ShouldContain("b1     New");
        Directory.Exists(Bucket).ShouldBeFalse("printing runs nothing and writes nothing");

        // Run for real: --snapshot-volumes=false is kept on the backup.
        (await _cli.RunAsync("backup", "create", "b1", "--include-namespaces", "web", "--snapshot-volumes=false")).ExitCode.ShouldBe(0);
        JsonNode.Parse(File.ReadAllText(Path.Combine(Bucket, "backups", "b1", "velero-backup.json")))!["spec"]!["snapshotVolumes"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task A_dry_run_prints_one_json_plan_in_order_writes_nothing_and_fails_only_when_a_step_would()
    {
        (await _cli.RunAsync("backup", "create", "b1", "--include-namespaces", "shop")).ExitCode.ShouldBe(0);

        var plan = await _cli.RunAsync("restore", "create", "r1", "--from-backup", "b1", "--namespace-mappings", "shop:shop-dry", "--dry-run", "-o", "json");

        plan.ExitCode.ShouldBe(0, plan.ToString());
        var doc = JsonNode.Parse(plan.Stdout)!;
        doc["backup"]!.GetValue<string>().ShouldBe("b1");
        var steps = doc["steps"]!.AsArray().Select(s => s!.AsObject()).ToList();
        steps.ShouldAllBe(s => s.Select(p => p.Key).SequenceEqual(new[] { "action", "resource", "namespace", "name", "reason" }));
        steps.ShouldContain(s => s["resource"]!.GetValue<string>() == "configmaps" && s["name"]!.GetValue<string>() == "web-config"
            && s["namespace"]!.GetValue<string>() == "shop-dry" && s["action"]!.GetValue<string>() == "create");
        var resources = steps.Select(s => s["resource"]!.GetValue<string>()).ToList();
        resources.IndexOf("namespaces").ShouldBeLessThan(resources.IndexOf("configmaps"), "namespaces come first, as a restore goes");
        _server.GetObject("v1", "Namespace", null, "shop-dry").ShouldBeNull("a dry run writes nothing to the cluster");
        Directory.Exists(Path.Combine(Bucket, "restores")).ShouldBeFalse("nor to the bucket");

        var table = await _cli.RunAsync("restore", "create", "--from-backup", "b1", "--namespace-mappings", "shop:shop-dry", "--dry-run");
        table.ExitCode.ShouldBe(0);
        table.Stdout.ShouldContain("ORDER   ACTION");
        table.Stdout.ShouldContain("create   configmaps");

        // Into an existing namespace each create is tried by the API server with dryRun=All; a refusal is a failing step.
        _server.Faults.Add(new FaultRule { Verb = "create", Resource = "configmaps", StatusCode = 403 });
        var failing = await _cli.RunAsync("restore", "create", "--from-backup", "b1", "--namespace-mappings", "shop:web", "--dry-run", "-o", "json");
        failing.ExitCode.ShouldBe(1, failing.ToString());
        JsonNode.Parse(failing.Stdout)!["steps"]!.AsArray().ShouldContain(s => s!["action"]!.GetValue<string>() == "fail" && s["name"]!.GetValue<string>() == "web-config");
        _server.GetObject("v1", "ConfigMap", "web", "web-config").ShouldBeNull();
    }

    [Theory]
    [InlineData("backup create", "a backup name is required, unless you are creating based on a schedule")]
    [InlineData("backup create b1 --bogus", "unknown flag: --bogus")]
    [InlineData("backup create b1 --snapshot-volumes=maybe", "strconv.ParseBool: parsing \"maybe\": invalid syntax")]
    [InlineData("backup create b1 --ttl", "flag needs an argument: --ttl")]
    [InlineData("backup create b1 --ttl forever", "invalid argument \"forever\" for \"--ttl\" flag")]
    [InlineData("backup create b1 -o xml", "invalid output format 'xml'")]
    [InlineData("backup create b1 --selector app=web --or-selector app=db", "either a 'selector' or an 'or-selector' can be specified, but not both")]
    [InlineData("backup create b1 --include-resources pods --include-cluster-scoped-resources storageclasses", "include-resources, exclude-resources and include-cluster-resources are old filter parameters")]
    [InlineData("backup create B_1", "B_1")]
    [InlineData("backup create b1 --volume-snapshot-locations ebs", "volumesnapshotlocations.velero.io \"ebs\" not found")]
    [InlineData("restore create r1", "either a backup or schedule must be specified, but not both")]
    [InlineData("restore create r1 --from-backup b --from-schedule s", "either a backup or schedule must be specified, but not both")]
    [InlineData("restore create r1 --from-backup b --namespace-mappings a:b,c:b", "namespaceMapping")]
    [InlineData("restore create r1 --from-backup b --existing-resource-policy sometimes", "sometimes")]
    [InlineData("schedule create s1", "--schedule is required")]
    [InlineData("schedule create s1 --schedule nonsense", "nonsense")]
    [InlineData("backup frobnicate", "unknown command \"frobnicate\" for \"velero backup\"")]
    [InlineData("backup create b1 --storage /tmp/x --storage-config region=us-east-1", "--storage-config applies to an s3://bucket storage only")]
    public async Task Bad_flags_and_invalid_requests_exit_2_with_the_reason_on_stderr_and_run_nothing(string command, string reason)
    {
        var run = await _cli.RunAsync(command.Split(' '));

        run.ExitCode.ShouldBe(2, run.ToString());
        run.Stderr.ShouldContain(reason, Case.Sensitive, run.ToString());
        run.Stdout.ShouldBeEmpty();
        Directory.Exists(Bucket).ShouldBeFalse();
    }

    [Fact]
    public async Task Operations_that_do_not_complete_exit_1_and_keep_their_resource()
    {
        var restore = await _cli.RunAsync("restore", "create", "r1", "--from-backup", "missing");

        restore.ExitCode.ShouldBe(1, restore.ToString());
        restore.Stdout.ShouldContain("Restore completed with status: FailedValidation.");
        restore.Stderr.ShouldContain("Validation error: Error retrieving backup: backups.velero.io \"missing\" not found");
        var kept = JsonNode.Parse((await _cli.RunAsync("restore", "get", "r1", "-o", "json")).Stdout)!;
        kept["status"]!["phase"]!.GetValue<string>().ShouldBe("FailedValidation");

        (await _cli.RunAsync("restore", "create", "r1", "--from-backup", "missing")).Stderr.ShouldContain("restores.velero.io \"r1\" already exists");
        var dry = await _cli.RunAsync("restore", "create", "--from-backup", "missing", "--dry-run");
        dry.ExitCode.ShouldBe(1);
        dry.Stderr.ShouldContain("not found");

        // A backup whose items partly fail ends PartiallyFailed: exit 1, the errors on stderr.
        _server.Faults.Add(new FaultRule { Verb = "list", Resource = "configmaps", StatusCode = 403 });
        var partial = await _cli.RunAsync("backup", "create", "b1", "--include-namespaces", "web");
        partial.ExitCode.ShouldBe(1, partial.ToString());
        partial.Stdout.ShouldMatch(@"Backup completed with status: (PartiallyFailed|Failed)\.");
        partial.Stderr.ShouldContain("Error: ");
    }

    [Fact]
    public async Task Schedules_are_kept_locally_and_back_up_and_restore_by_their_template()
    {
        var create = await _cli.RunAsync("schedule", "create", "nightly", "--schedule", "@every 6h", "--include-namespaces", "web", "--labels", "team=web", "--ttl", "48h");
        create.ExitCode.ShouldBe(0, create.ToString());
        File.Exists(_temp.Combine("home", "schedules", "velero", "nightly.json")).ShouldBeTrue();
        Directory.Exists(Bucket).ShouldBeFalse("schedules are not kept in the bucket (Velero would call it invalid)");

        var schedule = JsonNode.Parse((await _cli.RunAsync("schedule", "get", "nightly", "-o", "json")).Stdout)!;
        schedule["kind"]!.GetValue<string>().ShouldBe("Schedule");
        schedule["spec"]!["schedule"]!.GetValue<string>().ShouldBe("@every 6h");
        schedule["spec"]!["template"]!["ttl"]!.GetValue<string>().ShouldBe("48h0m0s");
        schedule["status"]!["phase"]!.GetValue<string>().ShouldBe("Enabled");
        (await _cli.RunAsync("schedule", "get")).Stdout.ShouldContain("nightly   Enabled");
        (await _cli.RunAsync("schedule", "get", "-n", "other", "-o", "json")).Stdout.ShouldContain("\"items\": []", customMessage: "schedules are per namespace");

        var backup = await _cli.RunAsync("backup", "create", "--from-schedule", "nightly");
        backup.ExitCode.ShouldBe(0, backup.ToString());
        var name = Directory.GetDirectories(Path.Combine(Bucket, "backups")).Select(Path.GetFileName).ShouldHaveSingleItem()!;
        name.ShouldMatch(@"^nightly-\d{14}$");
        var stored = JsonNode.Parse(File.ReadAllText(Path.Combine(Bucket, "backups", name, "velero-backup.json")))!;
        stored["metadata"]!["labels"]![VeleroLabels.ScheduleName]!.GetValue<string>().ShouldBe("nightly");
        stored["metadata"]!["labels"]!["team"]!.GetValue<string>().ShouldBe("web");
        stored["spec"]!["includedNamespaces"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["web"]);

        var restore = await _cli.RunAsync("restore", "create", "from-nightly", "--from-schedule", "nightly", "--namespace-mappings", "web:web-again");
        restore.ExitCode.ShouldBe(0, restore.ToString());
        _server.GetObject("v1", "ConfigMap", "web-again", "page").ShouldNotBeNull();

        (await _cli.RunAsync("schedule", "delete", "nightly")).ExitCode.ShouldBe(1, "without --confirm and no answer on stdin nothing is deleted");
        (await _cli.RunAsync("schedule", "delete", "nightly", "--confirm")).Stdout.ShouldContain("Schedule deleted: nightly");
        (await _cli.RunAsync("schedule", "get", "nightly")).ExitCode.ShouldBe(1);
        (await _cli.RunAsync("backup", "create", "--from-schedule", "nightly")).Stderr.ShouldContain("schedules.velero.io \"nightly\" not found");
    }

    [Fact]
    public async Task Download_and_delete_work_on_the_bucket_and_delete_takes_the_backup_s_restores_along()
    {
        (await _cli.RunAsync("backup", "create", "b1", "--include-namespaces", "web")).ExitCode.ShouldBe(0);
        (await _cli.RunAsync("backup", "create", "b2", "--include-namespaces", "web")).ExitCode.ShouldBe(0);
        (await _cli.RunAsync("restore", "create", "r1", "--from-backup", "b1", "--namespace-mappings", "web:web1")).ExitCode.ShouldBe(0);
        (await _cli.RunAsync("restore", "create", "r2", "--from-backup", "b2", "--namespace-mappings", "web:web2")).ExitCode.ShouldBe(0);

        var tarball = _temp.Combine("b1.tar.gz");
        var download = await _cli.RunAsync("backup", "download", "b1", "-o", tarball);
        download.ExitCode.ShouldBe(0, download.ToString());
        var bytes = File.ReadAllBytes(tarball);
        bytes[..2].ShouldBe(new byte[] { 0x1f, 0x8b }, "a gzip file");
        bytes.ShouldBe(File.ReadAllBytes(Path.Combine(Bucket, "backups", "b1", "b1.tar.gz")));
        (await _cli.RunAsync("backup", "download", "b1", "-o", tarball)).ExitCode.ShouldBe(1, "an existing file needs --force");
        (await _cli.RunAsync("backup", "download", "b1", "-o", tarball, "--force")).ExitCode.ShouldBe(0);

        var delete = await _cli.RunAsync("backup", "delete", "b1", "--confirm", "--kubeconfig", _temp.Combine("no-such-kubeconfig"));
        delete.ExitCode.ShouldBe(2, "a kubeconfig that cannot be read is a bad flag: nothing is deleted");
        Directory.Exists(Path.Combine(Bucket, "backups", "b1")).ShouldBeTrue();
        delete = await _cli.RunAsync("backup", "delete", "b1", "--confirm");
        delete.ExitCode.ShouldBe(0, delete.ToString());
        Directory.Exists(Path.Combine(Bucket, "backups", "b1")).ShouldBeFalse();
        Directory.Exists(Path.Combine(Bucket, "restores", "r1")).ShouldBeFalse("the restores of a deleted backup go with it");
        Directory.Exists(Path.Combine(Bucket, "restores", "r2")).ShouldBeTrue();
        JsonNode.Parse((await _cli.RunAsync("backup", "get", "-o", "json")).Stdout)!["metadata"]!["name"]!.GetValue<string>().ShouldBe("b2");
    }
}
