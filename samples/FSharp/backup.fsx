// Velero.Sdk from F#: a backup and restore round trip in a script.
//
// Starts samples/LocalCluster (an in-process Kubernetes API server, in a process of its own because fsi cannot load
// ASP.NET Core) seeded with samples/seed/shop.yaml, backs up namespace 'shop' into a folder bucket, restores it as
// 'shop-restored' by namespace mapping, checks that the restored objects are in the cluster and prints a summary.
// Exit code 0 when the round trip is complete, 1 otherwise.
//
// From the repository root, once:
//   dotnet build samples/LocalCluster -c Release
//   dotnet publish src/Velero.Sdk -c Release -o artifacts/velero-sdk
// then:
//   dotnet fsi samples/FSharp/backup.fsx [--storage <folder>] [--local-cluster <LocalCluster.dll>]
//
// --storage defaults to a new temporary folder (kept, so you can look at the Velero layout); --local-cluster defaults to
// samples/LocalCluster/bin/Release/net10.0/LocalCluster.dll.

// Velero.Sdk from the published folder, which holds every dependency beside it. The script also uses KubernetesClient
// (the cluster configuration and the check), and F# wants the assemblies of types it sees (YamlDotNet) referenced too.
#I "../../artifacts/velero-sdk"
#r "Velero.Sdk.dll"
#r "KubernetesClient.dll"
#r "YamlDotNet.dll"

open System
open System.Diagnostics
open System.IO
open System.Threading.Tasks
open k8s
open Velero.Sdk
open Velero.Sdk.Backup
open Velero.Sdk.Restore
open Velero.Sdk.Storage

let sourceNamespace = "shop"
let targetNamespace = "shop-restored"

// ---- command line ---------------------------------------------------------------------------------------------------

let args = fsi.CommandLineArgs |> Array.toList |> List.tail

let rec option name =
    function
    | flag :: value :: _ when flag = name -> Some value
    | _ :: rest -> option name rest
    | [] -> None

let repoRoot = Path.GetFullPath(Path.Combine(__SOURCE_DIRECTORY__, "..", ".."))

let localClusterDll =
    option "--local-cluster" args
    |> Option.defaultValue (Path.Combine(repoRoot, "samples", "LocalCluster", "bin", "Release", "net10.0", "LocalCluster.dll"))
    |> Path.GetFullPath

let bucket =
    option "--storage" args
    |> Option.map Path.GetFullPath
    |> Option.defaultWith (fun () -> Directory.CreateTempSubdirectory("velero-fsx-").FullName)

// ---- the cluster: samples/LocalCluster as a child process -----------------------------------------------------------

/// Starts LocalCluster on a free port and waits (up to two minutes) for its "serving" line; the kubeconfig is then written.
let startLocalCluster (dll: string) (seed: string) (kubeconfig: string) =
    task {
        if not (File.Exists dll) then
            failwithf "%s not found: build it with 'dotnet build samples/LocalCluster -c Release'" dll

        let psi = ProcessStartInfo("dotnet", RedirectStandardOutput = true, RedirectStandardError = true)
        [ dll; "--port"; "0"; "--seed"; seed; "--kubeconfig-out"; kubeconfig ] |> List.iter psi.ArgumentList.Add
        let proc = Process.Start psi
        let serving = TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously)

        proc.OutputDataReceived.Add(fun e ->
            match e.Data with
            | null -> serving.TrySetException(exn "LocalCluster exited before serving") |> ignore
            | line when line.StartsWith "serving " -> serving.TrySetResult line |> ignore
            | _ -> ())

        proc.ErrorDataReceived.Add(fun e ->
            if not (isNull e.Data) then
                eprintfn "[LocalCluster] %s" e.Data)

        proc.BeginOutputReadLine()
        proc.BeginErrorReadLine()

        try
            let! line = serving.Task.WaitAsync(TimeSpan.FromMinutes 2.0)
            printfn "LocalCluster (pid %d): %s" proc.Id line
            return proc
        with e ->
            proc.Kill()
            return raise e
    }

let stopLocalCluster (proc: Process) =
    if not proc.HasExited then
        proc.Kill()
        proc.WaitForExit()

    printfn "LocalCluster stopped"

// ---- progress and summaries -----------------------------------------------------------------------------------------

let progress (show: 'T -> string) =
    { new IProgress<'T> with
        member _.Report p = printfn "  %s" (show p) }

let resource (current: string) =
    if isNull current then "" else $" ({current})"

let printMessages (errors: ResultMessages) (warnings: ResultMessages) =
    Seq.append (errors.All()) (warnings.All()) |> Seq.iter (printfn "  ! %s")

// ---- the check: is each object of the application in the target namespace? -----------------------------------------

/// The objects of samples/seed/shop.yaml that must exist after the restore, with how to read each one.
let expected (kube: IKubernetes) ns : (string * (unit -> Task)) list =
    [ "Namespace", (fun () -> kube.CoreV1.ReadNamespaceAsync ns :> Task)
      "ConfigMap web-config", (fun () -> kube.CoreV1.ReadNamespacedConfigMapAsync("web-config", ns) :> Task)
      "Secret web-credentials", (fun () -> kube.CoreV1.ReadNamespacedSecretAsync("web-credentials", ns) :> Task)
      "PersistentVolumeClaim data", (fun () -> kube.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("data", ns) :> Task)
      "Service web", (fun () -> kube.CoreV1.ReadNamespacedServiceAsync("web", ns) :> Task)
      "Deployment web", (fun () -> kube.AppsV1.ReadNamespacedDeploymentAsync("web", ns) :> Task)
      "Pod web-0", (fun () -> kube.CoreV1.ReadNamespacedPodAsync("web-0", ns) :> Task)
      "Storefront main",
      (fun () -> kube.CustomObjects.GetNamespacedCustomObjectAsync("shop.example.com", "v1", ns, "storefronts", "main") :> Task) ]

let exists (read: unit -> Task) =
    task {
        try
            do! read ()
            return true
        with :? k8s.Autorest.HttpOperationException as e when e.Response.StatusCode = Net.HttpStatusCode.NotFound ->
            return false
    }

// ---- the round trip -------------------------------------------------------------------------------------------------

let roundTrip (config: KubernetesClientConfiguration) =
    task {
        use velero =
            VeleroClientBuilder()
                .UseKubernetes(config)
                .UseObjectStore(FileSystemObjectStore bucket)
                .Build()

        let name = "shop-" + DateTime.UtcNow.ToString "yyyyMMddHHmmss"
        let request = BackupBuilder(name).IncludeNamespaces(sourceNamespace).WithTtl(TimeSpan.FromDays 7.0).Build()
        printfn "backing up namespace '%s' as %s into %s" sourceNamespace name bucket
        let watch = Stopwatch.StartNew()

        let! backup =
            velero.BackupAsync(
                request,
                progress (fun (p: BackupProgress) -> $"{p.Phase}: {p.ItemsBackedUp}/{p.TotalItems} items{resource p.CurrentResource}")
            )

        printfn "backup %s: %s in %.1f s, %d items, %d errors, %d warnings"
            backup.Name backup.Phase watch.Elapsed.TotalSeconds backup.ItemsBackedUp backup.Errors.Count backup.Warnings.Count
        backup.ItemsPerResource |> Seq.sortBy _.Key |> Seq.iter (fun kv -> printfn "  %-50s %4d" kv.Key kv.Value)
        printMessages backup.Errors backup.Warnings

        if not backup.Succeeded then
            return false
        else
            let restoreRequest = RestoreBuilder(backup.Name).MapNamespace(sourceNamespace, targetNamespace).Build()
            printfn "restoring %s as %s: %s -> %s" backup.Name restoreRequest.Name sourceNamespace targetNamespace
            watch.Restart()

            let! restore =
                velero.RestoreAsync(
                    restoreRequest,
                    progress (fun (p: RestoreProgress) -> $"{p.Phase}: {p.ItemsRestored}/{p.TotalItems} items{resource p.CurrentResource}")
                )

            printfn "restore %s: %s in %.1f s, %d items created or updated, %d errors, %d warnings"
                restore.Name restore.Phase watch.Elapsed.TotalSeconds restore.ItemsRestored restore.Errors.Count restore.Warnings.Count
            restore.Items
            |> Seq.countBy (fun i -> $"{i.ApiVersion}/{i.Kind} ({i.Action.ToString().ToLowerInvariant()})")
            |> Seq.sortBy fst
            |> Seq.iter (fun (kind, n) -> printfn "  %-50s %4d" kind n)
            printMessages restore.Errors restore.Warnings

            // Check against the cluster itself, not the restore's own report.
            use kube = new Kubernetes(config)
            let checks = expected kube targetNamespace
            let found = ResizeArray()

            for (what, read) in checks do
                let! ok = exists read
                printfn "  %-30s %s" what (if ok then "restored" else "MISSING")
                if ok then found.Add what

            printfn "verified: %d/%d objects in namespace '%s'" found.Count checks.Length targetNamespace
            return restore.Succeeded && found.Count = checks.Length
    }

let main () =
    task {
        let work = Directory.CreateTempSubdirectory "velero-fsx-cluster-"
        let kubeconfig = Path.Combine(work.FullName, "kubeconfig")
        let seed = Path.Combine(repoRoot, "samples", "seed", "shop.yaml")
        let total = Stopwatch.StartNew()

        try
            let! cluster = startLocalCluster localClusterDll seed kubeconfig

            try
                let! ok = KubernetesClientConfiguration.BuildConfigFromConfigFile kubeconfig |> roundTrip
                printfn "round trip %s in %.1f s; backup and restore results are in %s" (if ok then "ok" else "FAILED") total.Elapsed.TotalSeconds bucket
                return if ok then 0 else 1
            finally
                stopLocalCluster cluster
        finally
            work.Delete true
    }

try
    main().GetAwaiter().GetResult() |> exit
with e ->
    eprintfn "error: %s" e.Message
    exit 1
