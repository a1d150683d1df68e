using Velero.Sdk.Archive;

namespace Velero.Sdk.Tests.Archive;

public sealed class KeyHashTests
{
    [Fact]
    public void Two_million_item_keys_shaped_like_a_large_clusters_have_two_million_hashes()
    {
        // Keys as a backup of a large cluster makes them: few kinds and namespaces, names that differ in a few digits. Two
        // salted 32-bit HashCode passes gave pairs of these keys one 64-bit hash (several per 300,000), and the sets built
        // on it then dropped one item of each pair from backups and restores (this set had 7 to 78 such pairs with them).
        (string Kind, string Prefix)[] kinds = [("v1/Pod", "pod"), ("apps/v1/Deployment", "deployment"), ("v1/ConfigMap", "configmap"), ("v1/Secret", "secret"), ("v1/Service", "service")];
        var seen = new HashSet<ulong>();
        var collisions = new List<string>();
        for (int i = 0; i < 2_000_000; i++)
        {
            var (kind, prefix) = kinds[i % kinds.Length];
            var ns = $"scale-{i % 20:D2}";
            var name = $"{prefix}-{i:D7}";
            if (!seen.Add(KeyHash.Of(kind, ns, name)))
            {
                collisions.Add($"{kind} {ns}/{name}");
            }
        }

        collisions.ShouldBeEmpty();
    }

    [Fact]
    public void Parts_are_framed_so_that_moving_text_or_a_missing_part_changes_the_hash()
    {
        KeyHash.Of("ab", "c", null).ShouldNotBe(KeyHash.Of("a", "bc", null));
        KeyHash.Of("a", null, "x").ShouldNotBe(KeyHash.Of("a", "x", null));
        KeyHash.Of("a", string.Empty, null).ShouldNotBe(KeyHash.Of("a", null, null));
        KeyHash.Of("a", null, null).ShouldBe(KeyHash.Of("a"));
        KeyHash.Of("v1/Pod", "web", "api").ShouldBe(KeyHash.Of("v1/Pod", "web", "api"), "the same key hashes the same within a process");
        KeyHash.Of(new string('n', 2_000), "web", "api").ShouldNotBe(KeyHash.Of(new string('n', 1_999), "web", "api"), "long keys (past the stack buffer) too");
    }
}
