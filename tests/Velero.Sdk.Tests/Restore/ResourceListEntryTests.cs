using Velero.Sdk.Restore;

namespace Velero.Sdk.Tests.Restore;

public sealed class ResourceListEntryTests
{
    [Fact]
    public void The_restore_resource_list_is_grouped_by_type_and_sorted_by_its_entry_text()
    {
        var random = new Random(3);
        var actions = Enum.GetValues<RestoredItemAction>();
        string[] namespaces = ["web", "web-2", "we", "ß", "\U0001F600"];
        var items = new List<RestoredItem>();
        for (int i = 0; i < 2_000; i++)
        {
            var ns = namespaces[random.Next(namespaces.Length)];
            var name = "n" + random.Next(0, 400) + (random.Next(4) == 0 ? "-x" : string.Empty);
            items.Add(new RestoredItem("v1", "ConfigMap", ns, name, actions[random.Next(actions.Length)]));
        }

        items.Add(new RestoredItem("v1", "Namespace", null, "web", RestoredItemAction.Created));
        items.Add(new RestoredItem("v1", "Namespace", null, "we", RestoredItemAction.Skipped));
        items.Add(new RestoredItem("apps/v1", "Deployment", "web", "api", RestoredItemAction.Failed));

        var log = new RestoredItemLog();
        foreach (var item in items)
        {
            log.Add(item.ApiVersion, item.Kind, item.Namespace, item.Name, item.Action);
        }

        log.ShouldBe(items);
        foreach (var action in actions)
        {
            log.CountOf(action).ShouldBe(items.Count(i => i.Action == action));
        }
        var list = log.ResourceList();

        list.Keys.Order(StringComparer.Ordinal).ShouldBe(["apps/v1/Deployment", "v1/ConfigMap", "v1/Namespace"]);
        var expected = items.Where(i => i.Kind == "ConfigMap")
            .Select(i => $"{i.Namespace}/{i.Name}({i.Action.ToString().ToLowerInvariant()})")
            .Order(StringComparer.Ordinal)
            .ToList();
        list["v1/ConfigMap"].ToList().ShouldBe(expected);
        Enumerable.Range(0, expected.Count).Select(i => list["v1/ConfigMap"][i]).ShouldBe(expected);
        list["v1/Namespace"].ShouldBe(["we(skipped)", "web(created)"]);
        list["apps/v1/Deployment"].ShouldBe(["web/api(failed)"]);
    }
}
