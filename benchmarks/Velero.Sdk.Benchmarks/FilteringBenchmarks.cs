using BenchmarkDotNet.Attributes;
using Velero.Sdk.Filtering;

namespace Velero.Sdk.Benchmarks;

/// <summary>The per-item checks of a backup: label selectors, namespace globs and resource lists run once per object.</summary>
[MemoryDiagnoser]
public class FilteringBenchmarks
{
    private readonly LabelSelector _selector = LabelSelector.Parse("app=web,tier in (frontend,backend),!canary");
    private readonly Dictionary<string, string> _labels = new()
    {
        ["app"] = "web",
        ["tier"] = "backend",
        ["pod-template-hash"] = "5d8f7c9b6",
        ["app.kubernetes.io/managed-by"] = "Helm",
    };

    private readonly NamespaceFilter _namespaces = NamespaceFilter.Create(["apps-*", "shop-?"], ["apps-test"]);
    private readonly IncludesExcludes _resources = new(["*"], ["events", "*.metrics.k8s.io"]);

    [Benchmark]
    public bool LabelSelectorMatch() => _selector.Matches(_labels);

    [Benchmark]
    public LabelSelector LabelSelectorParse() => LabelSelector.Parse("app=web,tier in (frontend,backend),!canary");

    [Benchmark]
    public bool NamespaceGlobMatch() => _namespaces.ShouldInclude("apps-payments");

    [Benchmark]
    public bool ResourceListMatch() => _resources.ShouldInclude("deployments.apps");
}
