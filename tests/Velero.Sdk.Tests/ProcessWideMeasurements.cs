namespace Velero.Sdk.Tests;

/// <summary>
/// Tests that measure the whole process (the GC heap) run alone, after the parallel ones: other tests allocating at the
/// same time would count in their figures.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMeasurements
{
    public const string Name = "Process-wide measurements";
}
