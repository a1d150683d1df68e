<#
.SYNOPSIS
    Velero.Sdk from PowerShell: a backup and restore round trip in a script.

.DESCRIPTION
    Starts samples/LocalCluster (an in-process Kubernetes API server, in a process of its own because PowerShell cannot
    load ASP.NET Core) seeded with samples/seed/shop.yaml, backs up namespace 'shop' into a folder bucket, restores it as
    'shop-restored' by namespace mapping, checks that the restored objects are in the cluster and prints a summary.
    Exits with 0 when the round trip is complete, 1 otherwise.

    From the repository root, once:
        dotnet build samples/LocalCluster -c Release
        dotnet publish src/Velero.Sdk -c Release -o artifacts/velero-sdk
        dotnet tool restore                      # PowerShell 7.6.9, from .config/dotnet-tools.json
    then:
        dotnet pwsh samples/PowerShell/Backup.ps1 [-Storage <folder>] [-Verbose]

.PARAMETER Storage
    The bucket folder. Defaults to a new temporary folder, kept so that you can look at the Velero layout.

.PARAMETER LocalCluster
    The built samples/LocalCluster.dll. Defaults to samples/LocalCluster/bin/Release/net10.0/LocalCluster.dll.

.PARAMETER SdkPath
    The folder that holds Velero.Sdk.dll and its dependencies. Defaults to artifacts/velero-sdk.

.EXAMPLE
    dotnet pwsh samples/PowerShell/Backup.ps1 -Storage ./velero-data -Verbose
#>
[CmdletBinding()]
param(
    [string] $Storage,
    [string] $LocalCluster = (Join-Path $PSScriptRoot '../LocalCluster/bin/Release/net10.0/LocalCluster.dll'),
    [string] $SdkPath = (Join-Path $PSScriptRoot '../../artifacts/velero-sdk'),
    [string] $SourceNamespace = 'shop',
    [string] $TargetNamespace = 'shop-restored'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# Velero.Sdk loads its dependencies from its own folder; KubernetesClient is named here because the script uses its types.
Add-Type -Path (Join-Path $SdkPath 'Velero.Sdk.dll')
Add-Type -Path (Join-Path $SdkPath 'KubernetesClient.dll')

function Start-LocalCluster {
    <# Starts LocalCluster on a free port and waits (up to two minutes) for its "serving" line; returns the process. #>
    [CmdletBinding()]
    param([string] $Dll, [string] $Seed, [string] $Kubeconfig, [string] $LogFolder)

    if (-not (Test-Path $Dll)) {
        throw "$Dll not found: build it with 'dotnet build samples/LocalCluster -c Release'"
    }

    $log = Join-Path $LogFolder 'local-cluster.log'
    $arguments = $Dll, '--port', '0', '--seed', $Seed, '--kubeconfig-out', $Kubeconfig | ForEach-Object { "`"$_`"" }
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -NoNewWindow -PassThru `
        -RedirectStandardOutput $log -RedirectStandardError (Join-Path $LogFolder 'local-cluster.err')
    Write-Verbose "LocalCluster started (pid $($process.Id)), log $log"

    $deadline = (Get-Date).AddMinutes(2)
    while (-not (Test-Path $log) -or -not (Select-String -Path $log -Pattern '^serving ' -Quiet)) {
        if ($process.HasExited -or (Get-Date) -gt $deadline) {
            Stop-Process -Id $process.Id -ErrorAction SilentlyContinue
            throw "LocalCluster did not start: $(Get-Content -Raw -ErrorAction SilentlyContinue $log, (Join-Path $LogFolder 'local-cluster.err'))"
        }
        Start-Sleep -Milliseconds 100
    }

    Write-Host "LocalCluster (pid $($process.Id)): $(Select-String -Path $log -Pattern '^serving ' | Select-Object -First 1 -ExpandProperty Line)"
    $process
}

function Stop-LocalCluster {
    [CmdletBinding()]
    param([System.Diagnostics.Process] $Process)

    if (-not $Process.HasExited) {
        Stop-Process -Id $Process.Id
        $Process.WaitForExit()
    }
    Write-Host 'LocalCluster stopped'
}

function Wait-VeleroOperation {
    <# Shows an operation's progress (Write-Progress) until it ends, then returns its result. #>
    [CmdletBinding()]
    param($Operation, [string] $Activity, [string] $CountProperty)

    while (-not $Operation.HasCompleted) {
        $p = $Operation.LatestProgress
        if ($p) {
            $percent = if ($p.TotalItems -gt 0) { [math]::Min(100, 100 * $p.$CountProperty / $p.TotalItems) } else { 0 }
            Write-Progress -Activity $Activity -Status "$($p.Phase): $($p.$CountProperty)/$($p.TotalItems) items" `
                -CurrentOperation "$($p.CurrentResource)" -PercentComplete $percent
        }
        Start-Sleep -Milliseconds 50
    }
    Write-Progress -Activity $Activity -Completed
    $Operation.WaitForCompletionAsync().GetAwaiter().GetResult()
}

function Write-ResultMessage {
    param($Result)
    foreach ($message in @($Result.Errors.All()) + @($Result.Warnings.All())) {
        Write-Host "  ! $message"
    }
}

function Test-RestoredObject {
    <# True when the read (a script block calling KubernetesClient) finds the object, false when the server answers 404. #>
    [CmdletBinding()]
    param([scriptblock] $Read)

    try {
        $null = (& $Read).GetAwaiter().GetResult()
        $true
    }
    catch {
        $e = $_.Exception.GetBaseException()
        if ($e -is [k8s.Autorest.HttpOperationException] -and $e.Response.StatusCode -eq [Net.HttpStatusCode]::NotFound) {
            return $false
        }
        throw
    }
}

$total = [Diagnostics.Stopwatch]::StartNew()
$work = [IO.Directory]::CreateTempSubdirectory('velero-ps-cluster-')
$kubeconfig = Join-Path $work.FullName 'kubeconfig'
$cluster, $velero, $succeeded = $null, $null, $false
try {
    $seed = Join-Path $PSScriptRoot '../seed/shop.yaml'
    $cluster = Start-LocalCluster -Dll $LocalCluster -Seed $seed -Kubeconfig $kubeconfig -LogFolder $work.FullName
    $bucket = if ($Storage) { [IO.Path]::GetFullPath($Storage) } else { [IO.Directory]::CreateTempSubdirectory('velero-ps-').FullName }
    $config = [k8s.KubernetesClientConfiguration]::BuildConfigFromConfigFile($kubeconfig)
    $velero = [Velero.Sdk.VeleroClientBuilder]::new().
        UseKubernetes($config).
        UseObjectStore([Velero.Sdk.Storage.FileSystemObjectStore]::new($bucket)).
        Build()

    # The backup.
    $name = 'shop-' + [DateTime]::UtcNow.ToString('yyyyMMddHHmmss')
    $request = [Velero.Sdk.Backup.BackupBuilder]::new($name).IncludeNamespaces($SourceNamespace).WithTtl([TimeSpan]::FromDays(7)).Build()
    Write-Host "backing up namespace '$SourceNamespace' as $name into $bucket"
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $operation = $velero.StartBackupAsync($request).GetAwaiter().GetResult()
    $backup = Wait-VeleroOperation -Operation $operation -Activity "Backup $name" -CountProperty ItemsBackedUp
    Write-Host ('backup {0}: {1} in {2:F1} s, {3} items, {4} errors, {5} warnings' -f $backup.Name, $backup.Phase,
        $watch.Elapsed.TotalSeconds, $backup.ItemsBackedUp, $backup.Errors.Count, $backup.Warnings.Count)
    $backup.ItemsPerResource.GetEnumerator() | Sort-Object Key | ForEach-Object { Write-Host ('  {0,-50} {1,4}' -f $_.Key, $_.Value) }
    Write-ResultMessage $backup
    if (-not $backup.Succeeded) {
        throw "backup $($backup.Name) ended $($backup.Phase)"
    }

    # The restore, into a new namespace.
    $restoreRequest = [Velero.Sdk.Restore.RestoreBuilder]::new($backup.Name).MapNamespace($SourceNamespace, $TargetNamespace).Build()
    Write-Host "restoring $($backup.Name) as $($restoreRequest.Name): $SourceNamespace -> $TargetNamespace"
    $watch.Restart()
    $operation = $velero.StartRestoreAsync($restoreRequest).GetAwaiter().GetResult()
    $restore = Wait-VeleroOperation -Operation $operation -Activity "Restore $($restoreRequest.Name)" -CountProperty ItemsRestored
    Write-Host ('restore {0}: {1} in {2:F1} s, {3} items created or updated, {4} errors, {5} warnings' -f $restore.Name, $restore.Phase,
        $watch.Elapsed.TotalSeconds, $restore.ItemsRestored, $restore.Errors.Count, $restore.Warnings.Count)
    $restore.Items | Group-Object { "$($_.ApiVersion)/$($_.Kind) ($($_.Action.ToString().ToLowerInvariant()))" } | Sort-Object Name |
        ForEach-Object { Write-Host ('  {0,-50} {1,4}' -f $_.Name, $_.Count) }
    Write-ResultMessage $restore

    # The check, against the cluster itself rather than the restore's own report: the objects of samples/seed/shop.yaml.
    $kube = [k8s.Kubernetes]::new($config)
    $ns = $TargetNamespace
    # KubernetesClient's short calls are C# extension methods: PowerShell calls them as static methods of their classes.
    $core, $apps, $custom = [k8s.CoreV1OperationsExtensions], [k8s.AppsV1OperationsExtensions], [k8s.CustomObjectsOperationsExtensions]
    $expected = [ordered]@{
        'Namespace'                  = { $core::ReadNamespaceAsync($kube.CoreV1, $ns) }
        'ConfigMap web-config'       = { $core::ReadNamespacedConfigMapAsync($kube.CoreV1, 'web-config', $ns) }
        'Secret web-credentials'     = { $core::ReadNamespacedSecretAsync($kube.CoreV1, 'web-credentials', $ns) }
        'PersistentVolumeClaim data' = { $core::ReadNamespacedPersistentVolumeClaimAsync($kube.CoreV1, 'data', $ns) }
        'Service web'                = { $core::ReadNamespacedServiceAsync($kube.CoreV1, 'web', $ns) }
        'Deployment web'             = { $apps::ReadNamespacedDeploymentAsync($kube.AppsV1, 'web', $ns) }
        'Pod web-0'                  = { $core::ReadNamespacedPodAsync($kube.CoreV1, 'web-0', $ns) }
        'Storefront main'            = {
            $custom::GetNamespacedCustomObjectAsync($kube.CustomObjects, 'shop.example.com', 'v1', $ns, 'storefronts', 'main')
        }
    }
    $found = 0
    foreach ($object in $expected.GetEnumerator()) {
        $ok = Test-RestoredObject -Read $object.Value
        Write-Verbose "$($object.Key) in $ns`: $ok"
        Write-Host ('  {0,-30} {1}' -f $object.Key, $(if ($ok) { 'restored' } else { 'MISSING' }))
        if ($ok) { $found++ }
    }
    $kube.Dispose()
    Write-Host "verified: $found/$($expected.Count) objects in namespace '$ns'"

    $succeeded = $restore.Succeeded -and $found -eq $expected.Count
    Write-Host ('round trip {0} in {1:F1} s; backup and restore results are in {2}' -f $(if ($succeeded) { 'ok' } else { 'FAILED' }),
        $total.Elapsed.TotalSeconds, $bucket)

    # The summary as an object, for whoever calls this script.
    [pscustomobject]@{
        Backup       = $backup.Name
        BackupPhase  = $backup.Phase
        Restore      = $restore.Name
        RestorePhase = $restore.Phase
        Verified     = "$found/$($expected.Count)"
        Bucket       = $bucket
    }
}
catch {
    # One plain line on stderr and exit code 1, as the F# sample does, for callers that check the exit code.
    [Console]::Error.WriteLine("error: $($_.Exception.Message)")
    exit 1
}
finally {
    if ($velero) { $velero.Dispose() }
    if ($cluster) { Stop-LocalCluster -Process $cluster }
    Remove-Item -Recurse -Force $work
}

if (-not $succeeded) {
    exit 1
}
