using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Velero.Sdk.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
