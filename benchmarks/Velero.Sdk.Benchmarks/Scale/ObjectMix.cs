using System.Text.Json.Nodes;

namespace Velero.Sdk.Benchmarks.Scale;

/// <summary>
/// A fixed mix of object kinds with real shapes (pods and deployments recorded from a v1.36 API server; config maps, secrets
/// and services of typical size), averaging over 4 KB per object.
/// </summary>
internal sealed class ObjectMix
{
    private readonly List<JsonObject> _pods;
    private readonly JsonObject _deployment;

    public ObjectMix(string testdata)
    {
        var extracted = Path.Combine(testdata, "k8s-objects", "recorded-apiserver-v1.36", "extracted");
        _pods = JsonNode.Parse(File.ReadAllText(Path.Combine(extracted, "pod-list.kube-system.json")))!["items"]!.AsArray().Select(p => Clean(p!.AsObject())).ToList();
        _deployment = Clean(JsonNode.Parse(File.ReadAllText(Path.Combine(extracted, "deployment-list.kube-system.json")))!["items"]![0]!.AsObject());
    }

    /// <summary>The share of each kind: (apiVersion path, plural, weight).</summary>
    public static readonly (string Path, string Kind, int Weight)[] Kinds =
    [
        ("/api/v1", "pods", 30), ("/apis/apps/v1", "deployments", 10), ("/api/v1", "configmaps", 25),
        ("/api/v1", "secrets", 20), ("/api/v1", "services", 15),
    ];

    /// <summary>Object <paramref name="i"/> of the mix, in namespace <paramref name="ns"/>: its collection path and JSON.</summary>
    public (string CollectionPath, byte[] Json) Get(int i, string ns)
    {
        int slot = i % 100;
        int acc = 0;
        foreach (var (path, kind, weight) in Kinds)
        {
            acc += weight;
            if (slot < acc)
            {
                var obj = Make(kind, i, ns);
                return ($"{path}/namespaces/{ns}/{kind}", System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(obj));
            }
        }

        throw new InvalidOperationException();
    }

    private JsonObject Make(string kind, int i, string ns)
    {
        var name = $"{kind[..^1]}-{i:D7}";
        JsonObject obj = kind switch
        {
            "pods" => _pods[i % _pods.Count].DeepClone().AsObject(),
            "deployments" => _deployment.DeepClone().AsObject(),
            "configmaps" => new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["data"] = new JsonObject { ["app.properties"] = Filler(i, 5200), ["log.level"] = "info" },
            },
            "secrets" => new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Secret",
                ["type"] = "Opaque",
                ["data"] = new JsonObject { ["tls.key"] = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(Filler(i, 2600))) },
            },
            _ => new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Service",
                ["spec"] = new JsonObject
                {
                    ["selector"] = new JsonObject { ["app"] = name },
                    ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 80, ["targetPort"] = 8080, ["protocol"] = "TCP" }),
                },
            },
        };
        if (kind == "pods")
        {
            obj["apiVersion"] = "v1";
            obj["kind"] = "Pod";
        }
        else if (kind == "deployments")
        {
            obj["apiVersion"] = "apps/v1";
            obj["kind"] = "Deployment";
        }

        var meta = obj["metadata"] as JsonObject ?? new JsonObject();
        obj["metadata"] = meta;
        meta["name"] = name;
        meta["namespace"] = ns;
        meta["labels"] = new JsonObject { ["app"] = name, ["scale-run"] = "true", ["tier"] = (i % 3).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        meta["annotations"] = new JsonObject { ["example.com/owner"] = "team-" + (i % 17), ["example.com/notes"] = Filler(i, 900) };
        return obj;
    }

    private static string Filler(int seed, int length)
    {
        var rng = new Random(seed);
        var chars = new char[length];
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 =-_.";
        for (int c = 0; c < length; c++)
        {
            chars[c] = alphabet[rng.Next(alphabet.Length)];
        }

        return new string(chars);
    }

    private static JsonObject Clean(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject meta)
        {
            foreach (var key in new[] { "uid", "resourceVersion", "creationTimestamp", "generateName", "ownerReferences", "managedFields", "namespace", "name" })
            {
                meta.Remove(key);
            }
        }

        obj.Remove("status");
        return obj;
    }
}
