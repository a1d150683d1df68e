using BenchmarkDotNet.Running;
using Velero.Sdk.Benchmarks.Scale;

// Micro-benchmarks: dotnet run -c Release --project benchmarks/Velero.Sdk.Benchmarks -- --filter '*'
// Scale run:        dotnet run -c Release --project benchmarks/Velero.Sdk.Benchmarks -- scale --objects 100000
if (args.Length > 0 && args[0] == "scale")
{
    return await ScaleRun.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == ScaleRun.BackupChildVerb)
{
    return await ScaleRun.RunBackupChildAsync(args[1..]);
}

if (args.Length > 0 && args[0] == RestorePhase.ChildVerb)
{
    return await RestorePhase.RunChildAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
