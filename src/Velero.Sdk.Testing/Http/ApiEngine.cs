using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Velero.Sdk.Patching;
using Velero.Sdk.Testing.Discovery;
using Velero.Sdk.Testing.Storage;

namespace Velero.Sdk.Testing.Http;

/// <summary>The API semantics (create, update, patch, delete, namespaces, CRDs, seeding) over the object store.</summary>
internal sealed class ApiEngine
{
    private const string NameChars = "bcdfghjklmnpqrstvwxz2456789";

    // Built-in resources with a status subresource whose objects carry no metadata.generation.
    private static readonly HashSet<string> NoGeneration = new(StringComparer.Ordinal)
    {
        "/namespaces", "/services", "/nodes", "/persistentvolumes", "/persistentvolumeclaims", "/resourcequotas",
        "/replicationcontrollers/x",
    };

    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly object _randomGate = new();
    private readonly object _serviceGate = new();
    private CachedTime? _now;

    public ApiEngine(ResourceRegistry registry, ObjectStore store, TimeProvider time, Random random)
    {
        Registry = registry;
        Store = store;
        _time = time;
        _random = random;
        NamespaceType = registry.Current.Find(string.Empty, "v1", "namespaces")!;
        CrdType = registry.Current.Find("apiextensions.k8s.io", "v1", "customresourcedefinitions")!;
        store.Observe(registry.Current.Find(string.Empty, "v1", "services")!.StorageKey, ServiceHoldings.OnChange);
    }

    /// <summary>The cluster IPs and node ports stored services hold.</summary>
    internal ServiceAllocator.Index ServiceHoldings { get; } = new();

    public ResourceRegistry Registry { get; }

    public ObjectStore Store { get; }

    public ResourceType NamespaceType { get; }

    public ResourceType CrdType { get; }

    public DateTimeOffset UtcNow() => _time.GetUtcNow();

    public string Now()
    {
        var now = _time.GetUtcNow();
        var seconds = now.ToUnixTimeSeconds();
        var cached = _now;
        if (cached is not null && cached.Seconds == seconds)
        {
            return cached.Text;
        }

        var text = FormatTime(now);
        _now = new CachedTime(seconds, text);
        return text;
    }

    /// <summary>A random (version 4) UUID, without the cost of a cryptographic random source.</summary>
    public static string NewUid()
    {
        Span<byte> b = stackalloc byte[16];
        Random.Shared.NextBytes(b);
        b[6] = (byte)((b[6] & 0x0F) | 0x40);
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        return new Guid(b, bigEndian: true).ToString();
    }

    public static string FormatTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static bool HasGeneration(ResourceType t) => t.IsCustom || (t.HasStatus && !NoGeneration.Contains(t.StorageKey));

    public void EnsureNamespace(string name)
    {
        if (Store.Get(NamespaceType.StorageKey, name) is null)
        {
            Seed(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject { ["name"] = name },
            });
        }
    }

    // ---------------------------------------------------------------- create

    public StoredObject Create(ResourceType type, string urlNamespace, JsonObject obj, bool dryRun)
    {
        if (IsService(type))
        {
            // Cluster IPs and node ports are allocated from what the stored services use: one service write at a time.
            lock (_serviceGate)
            {
                return CreateCore(type, urlNamespace, obj, dryRun);
            }
        }

        return CreateCore(type, urlNamespace, obj, dryRun);
    }

    private static bool IsService(ResourceType type) => type.Group.Length == 0 && type.Plural == "services";

    /// <summary>What the server does to a built-in object it decodes from a create, update or patch: defaults, service allocations.</summary>
    private void DefaultAndAllocate(ResourceType type, JsonObject obj, string name, JsonObject? previous)
    {
        Defaulting.Apply(type, obj);
        if (IsService(type) && obj["spec"] is JsonObject spec)
        {
            ServiceAllocator.Allocate(this, type, spec, name, (string?)obj["metadata"]?["namespace"] ?? string.Empty, previous?["spec"] as JsonObject);
        }
    }

    private StoredObject CreateCore(ResourceType type, string urlNamespace, JsonObject obj, bool dryRun)
    {
        CheckTypeMeta(type, obj);
        var metadata = Metadata(obj);
        ApplyNamespace(type, urlNamespace, metadata);
        if (metadata["resourceVersion"] is JsonValue rv && rv.ToString().Length > 0)
        {
            throw ApiException.BadRequest("resourceVersion should not be set on objects to be created");
        }

        var name = (string?)metadata["name"] ?? string.Empty;
        if (name.Length == 0)
        {
            var generateName = (string?)metadata["generateName"] ?? string.Empty;
            if (generateName.Length == 0)
            {
                throw ApiException.Invalid(type, string.Empty, [FieldError.Required("metadata.name", "name or generateName is required")]);
            }

            name = generateName + RandomSuffix();
            metadata["name"] = name;
        }

        var errors = Validation.Name(type.Plural, type.Group, name);
        if (type == CrdType || type.StorageKey == CrdType.StorageKey)
        {
            errors.AddRange(ValidateCrd(obj, name));
        }

        if (type.Schema is not null)
        {
            errors.AddRange(SchemaValidator.Validate(type.Schema, obj));
        }

        if (errors.Count > 0)
        {
            throw ApiException.Invalid(type, name, errors);
        }

        var ns = (string?)metadata["namespace"] ?? string.Empty;
        metadata["uid"] = NewUid();
        metadata["creationTimestamp"] = Now();
        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        metadata.Remove("managedFields");
        if (HasGeneration(type))
        {
            metadata["generation"] = 1;
        }
        else
        {
            metadata.Remove("generation");
        }

        DefaultAndAllocate(type, obj, name, previous: null);
        if (type.StorageKey == "batch/jobs")
        {
            Defaulting.PrepareJobForCreate(obj);
        }

        PrepareNewObject(type, obj, name);
        ResetStatusOnCreate(type, obj);
        if (type.StorageKey == CrdType.StorageKey)
        {
            DefaultCrd(obj);
        }

        // Serialized here, outside the store lock; the lock only fills in the resourceVersion.
        var final = PreparedObject.Prepare(obj, type.IsCustom, withResourceVersion: !dryRun);

        var stored = Store.Mutate(type, ns, name, current =>
        {
            if (current is not null)
            {
                throw ApiException.AlreadyExists(type, name);
            }

            if (type.Namespaced)
            {
                CheckNamespaceAcceptsContent(type, ns, name);
            }

            return Mutation.Put(final);
        }, dryRun)!;

        if (!dryRun && type.StorageKey == CrdType.StorageKey)
        {
            // The response is the object as created; the CRD controller establishes it right after.
            EstablishCrd(name);
        }

        return stored;
    }

    private void CheckNamespaceAcceptsContent(ResourceType type, string ns, string name)
    {
        var nsObj = Store.Get(NamespaceType.StorageKey, ns) ?? throw ApiException.NamespaceNotFound(ns);
        if (nsObj.Terminating)
        {
            throw ApiException.NamespaceTerminating(type, name, ns);
        }
    }

    private static void CheckTypeMeta(ResourceType type, JsonObject obj)
    {
        var apiVersion = obj["apiVersion"] is JsonValue av && av.TryGetValue<string>(out var a) ? a : null;
        var kind = obj["kind"] is JsonValue kv && kv.TryGetValue<string>(out var k) ? k : null;
        if (!string.IsNullOrEmpty(kind) && kind != type.Kind)
        {
            throw ApiException.BadRequest($"the kind of the provided object ({kind}) does not match the kind of the resource ({type.Kind})");
        }

        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != type.GroupVersion)
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.GroupVersion})");
        }

        if (apiVersion != type.GroupVersion)
        {
            obj["apiVersion"] = type.GroupVersion;
        }

        if (kind != type.Kind)
        {
            obj["kind"] = type.Kind;
        }
    }

    private static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject md)
        {
            return md;
        }

        var created = new JsonObject();
        obj["metadata"] = created;
        return created;
    }

    private static void ApplyNamespace(ResourceType type, string urlNamespace, JsonObject metadata)
    {
        var bodyNs = (string?)metadata["namespace"] ?? string.Empty;
        if (!type.Namespaced)
        {
            metadata.Remove("namespace");
            return;
        }

        if (bodyNs.Length > 0 && bodyNs != urlNamespace)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        metadata["namespace"] = urlNamespace;
    }

    /// <summary>A random number in [0, <paramref name="max"/>) from the server's (possibly seeded) generator.</summary>
    internal int NextRandom(int max)
    {
        lock (_randomGate)
        {
            return _random.Next(max);
        }
    }

    private string RandomSuffix()
    {
        Span<char> chars = stackalloc char[5];
        lock (_randomGate)
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = NameChars[_random.Next(NameChars.Length)];
            }
        }

        return new string(chars);
    }

    private static void PrepareNewObject(ResourceType type, JsonObject obj, string name)
    {
        if (type.Group.Length == 0 && type.Plural == "namespaces")
        {
            var metadata = (JsonObject)obj["metadata"]!;
            if (metadata["labels"] is not JsonObject labels)
            {
                metadata["labels"] = labels = new JsonObject();
            }

            labels["kubernetes.io/metadata.name"] = name;
            obj["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
        }
    }

    private static void ResetStatusOnCreate(ResourceType type, JsonObject obj)
    {
        if (!type.HasStatus)
        {
            return;
        }

        if (type.IsCustom)
        {
            obj.Remove("status");
        }
        else if (type.Group.Length == 0 && type.Plural == "namespaces")
        {
            obj["status"] = new JsonObject { ["phase"] = "Active" };
        }
        else if (type.Group.Length == 0 && type.Plural == "pods")
        {
            obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = QosClass(obj["spec"]) };
        }
        else if (type.Group.Length == 0 && type.Plural is "persistentvolumeclaims" or "persistentvolumes")
        {
            obj["status"] = new JsonObject { ["phase"] = "Pending" };
        }
        else if (IsService(type))
        {
            obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
        }
        else if (type.StorageKey != "apiextensions.k8s.io/customresourcedefinitions")
        {
            obj["status"] = new JsonObject();
        }
    }

    private static readonly string[] QosResources = ["cpu", "memory"];

    /// <summary>The pod's QoS class, as the pod strategy computes it on create (cpu and memory only).</summary>
    private static string QosClass(JsonNode? spec)
    {
        var any = false;
        var guaranteed = spec?["containers"] is JsonArray { Count: > 0 };
        foreach (var c in (spec?["containers"] as JsonArray ?? []).Concat(spec?["initContainers"] as JsonArray ?? []))
        {
            var requests = c?["resources"]?["requests"] as JsonObject;
            var limits = c?["resources"]?["limits"] as JsonObject;
            static string? Q(JsonObject? o, string r) => o?[r] is JsonValue v && v.ToString() is { Length: > 0 } t && !IsZero(t) ? t : null;
            foreach (var r in QosResources)
            {
                var req = Q(requests, r);
                var lim = Q(limits, r);
                any |= req is not null || lim is not null;
                if (lim is null || (req is not null && req != lim))
                {
                    guaranteed = false;
                }
            }
        }

        return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }

    private static bool IsZero(string quantity) => quantity.TrimEnd('m', 'k', 'M', 'G', 'T', 'P', 'E', 'i', 'K').Trim('0', '.').Length == 0;

    // ---------------------------------------------------------------- update and patch

    public StoredObject Update(ResourceType type, string urlNamespace, string name, string? subresource, JsonObject body, bool dryRun)
    {
        if (IsService(type))
        {
            lock (_serviceGate)
            {
                return UpdateCore(type, urlNamespace, name, subresource, body, dryRun);
            }
        }

        return UpdateCore(type, urlNamespace, name, subresource, body, dryRun);
    }

    private StoredObject UpdateCore(ResourceType type, string urlNamespace, string name, string? subresource, JsonObject body, bool dryRun)
    {
        CheckTypeMeta(type, body);
        var metadata = Metadata(body);
        ApplyNamespace(type, urlNamespace, metadata);
        var bodyName = (string?)metadata["name"] ?? string.Empty;
        if (bodyName.Length == 0)
        {
            metadata["name"] = name;
        }
        else if (bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        return Store.Mutate(type, urlNamespace, name, current =>
        {
            if (current is null)
            {
                throw ApiException.NotFound(type, name);
            }

            var expected = (string?)metadata["resourceVersion"];
            if (!string.IsNullOrEmpty(expected) && expected != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiException.Conflict(type, name);
            }

            return Merge(type, current, body, subresource, DefaultAndAllocate);
        }, dryRun)!;
    }

    public StoredObject Patch(ResourceType type, string ns, string name, string? subresource, string contentType, byte[] patchBytes, bool dryRun, out bool created)
    {
        if (IsService(type))
        {
            lock (_serviceGate)
            {
                return PatchCore(type, ns, name, subresource, contentType, patchBytes, dryRun, out created);
            }
        }

        return PatchCore(type, ns, name, subresource, contentType, patchBytes, dryRun, out created);
    }

    private StoredObject PatchCore(ResourceType type, string ns, string name, string? subresource, string contentType, byte[] patchBytes, bool dryRun, out bool created)
    {
        var kind = PatchKind(type, contentType);
        JsonNode? patch;
        try
        {
            patch = kind == "apply" ? Velero.Sdk.Patching.ManifestReader.ParseSingle(Encoding.UTF8.GetString(patchBytes)) : JsonNode.Parse(patchBytes);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw ApiException.BadRequest($"error decoding patch: {e.Message}");
        }

        var wasCreated = false;
        var result = Store.Mutate(type, ns, name, current =>
        {
            if (current is null)
            {
                if (kind != "apply" || subresource is not null)
                {
                    throw ApiException.NotFound(type, name);
                }

                wasCreated = true;
                return Mutation.None;
            }

            var doc = current.Parse();
            JsonNode? patched;
            try
            {
                patched = kind switch
                {
                    "json" => JsonPatch.Apply(doc, patch),
                    "strategic" => patch is JsonObject sp ? StrategicMergePatch.Apply(doc, sp) : throw new PatchException(false, "strategic merge patch must be a JSON object"),
                    _ => JsonMergePatch.Apply(doc, patch),
                };
            }
            catch (PatchException e)
            {
                throw e.Unprocessable
                    ? new ApiException(422, "Invalid", e.Message)
                    : ApiException.BadRequest(e.Message);
            }
            catch (InvalidOperationException e)
            {
                throw new ApiException(422, "Invalid", e.Message);
            }

            if (patched is not JsonObject po)
            {
                throw ApiException.BadRequest("the patched object is not a JSON object");
            }

            var md = Metadata(po);
            if ((string?)md["name"] != name || (type.Namespaced && (string?)md["namespace"] != ns))
            {
                throw ApiException.BadRequest("metadata.name and metadata.namespace cannot be changed by a patch");
            }

            var expected = (string?)md["resourceVersion"];
            if (!string.IsNullOrEmpty(expected) && expected != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiException.Conflict(type, name);
            }

            po["apiVersion"] = type.GroupVersion;
            po["kind"] = type.Kind;
            return Merge(type, current, po, subresource, DefaultAndAllocate);
        }, dryRun);

        created = wasCreated;
        if (wasCreated)
        {
            var obj = patch as JsonObject ?? throw ApiException.BadRequest("apply patch must be an object");
            Metadata(obj)["name"] = name;
            return Create(type, ns, obj, dryRun);
        }

        return result!;
    }

    private static string PatchKind(ResourceType type, string contentType)
    {
        var media = contentType.Split(';')[0].Trim();
        var accepted = type.IsCustom
            ? "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/apply-patch+cbor"
            : "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml, application/apply-patch+cbor";
        return media switch
        {
            "application/json-patch+json" => "json",
            "application/merge-patch+json" => "merge",
            "application/strategic-merge-patch+json" when !type.IsCustom => "strategic",
            "application/apply-patch+yaml" => "apply",
            _ => throw ApiException.UnsupportedMediaType(media, accepted),
        };
    }

    /// <summary>Builds the next version of an object from the current one and the client's intended object.</summary>
    private static Mutation Merge(ResourceType type, StoredObject current, JsonObject intended, string? subresource, Action<ResourceType, JsonObject, string, JsonObject?> decode)
    {
        var currentObj = current.Parse();
        var currentMd = (JsonObject)currentObj["metadata"]!;
        JsonObject? baseline = null;
        JsonObject next;
        if (subresource == "status")
        {
            // A status update changes the status only.
            next = currentObj.DeepClone().AsObject();
            next.Remove("status");
            if (intended["status"] is { } st)
            {
                next["status"] = st.DeepClone();
            }
        }
        else
        {
            next = intended;
            var md = Metadata(next);

            // Fields that an update cannot change.
            foreach (var f in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "namespace" })
            {
                md.Remove(f);
                if (currentMd[f] is { } v)
                {
                    md[f] = v.DeepClone();
                }
            }

            md.Remove("managedFields");
            if (type.HasStatus && subresource is null)
            {
                next.Remove("status");
                if (currentObj["status"] is { } st)
                {
                    next["status"] = st.DeepClone();
                }
            }

            if (type.Group.Length == 0 && type.Plural == "namespaces")
            {
                next["spec"] = currentObj["spec"]?.DeepClone();
                if (next["spec"] is null)
                {
                    next.Remove("spec");
                }

                if (md["labels"] is not JsonObject labels)
                {
                    md["labels"] = labels = new JsonObject();
                }

                labels["kubernetes.io/metadata.name"] = (string?)md["name"];
            }

            decode(type, next, current.Name, currentObj);

            // A seeded object is stored as written, without the defaults a real server would have given it: compare
            // with its defaulted form, so that defaults alone are neither a spec change nor a write.
            if (Defaulting.Defaults(type))
            {
                baseline = currentObj.DeepClone().AsObject();
                Defaulting.Apply(type, baseline);
            }

            if (HasGeneration(type) && SpecChanged(baseline ?? currentObj, next))
            {
                md["generation"] = ((long?)currentMd["generation"] ?? 0) + 1;
            }
        }

        if (type.Schema is not null && SchemaValidator.Validate(type.Schema, next) is { Count: > 0 } schemaErrors)
        {
            throw ApiException.Invalid(type, current.Name, schemaErrors);
        }

        var nextMd = (JsonObject)next["metadata"]!;
        nextMd["resourceVersion"] = current.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        var canonical = Canonical(type, next);
        if (JsonNode.DeepEquals(canonical, currentObj) || (baseline is not null && JsonNode.DeepEquals(canonical, baseline)))
        {
            return Mutation.None;
        }

        if (current.Terminating && canonical["metadata"]?["finalizers"] is not JsonArray { Count: > 0 })
        {
            return Mutation.DeleteAs(canonical);
        }

        return Mutation.Put(canonical);
    }

    private static bool SpecChanged(JsonObject before, JsonObject after)
    {
        foreach (var key in before.Select(p => p.Key).Union(after.Select(p => p.Key)))
        {
            if (key is "metadata" or "status" or "apiVersion" or "kind")
            {
                continue;
            }

            if (!JsonNode.DeepEquals(before[key], after[key]))
            {
                return true;
            }
        }

        return false;
    }

    // ---------------------------------------------------------------- delete

    /// <summary>Deletes (or marks for deletion) one object. <paramref name="immediately"/> tells whether it is gone.</summary>
    public StoredObject Delete(ResourceType type, string ns, string name, JsonObject? options, bool dryRun, out bool immediately)
    {
        var preUid = (string?)options?["preconditions"]?["uid"];
        var preRv = (string?)options?["preconditions"]?["resourceVersion"];
        var gone = false;
        var isNamespace = type.Group.Length == 0 && type.Plural == "namespaces";
        var isCrd = type.StorageKey == CrdType.StorageKey;
        var result = Store.Mutate(type, ns, name, current =>
        {
            if (current is null)
            {
                throw ApiException.NotFound(type, name);
            }

            if (preUid is not null && preUid != current.Uid)
            {
                throw ApiException.ConflictUid(type, name, preUid, current.Uid);
            }

            if (preRv is not null && preRv != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiException.Conflict(type, name);
            }

            if (current.Terminating)
            {
                return Mutation.None;
            }

            if (current.HasFinalizers || isNamespace || isCrd)
            {
                var obj = current.Parse();
                var md = (JsonObject)obj["metadata"]!;
                md["deletionTimestamp"] = Now();
                if (!isNamespace && !isCrd)
                {
                    md["deletionGracePeriodSeconds"] = 0;
                }

                if (HasGeneration(type) && !isCrd && md["generation"] is not null)
                {
                    md["generation"] = ((long?)md["generation"] ?? 0) + 1;
                }

                if (isNamespace)
                {
                    obj["status"] = new JsonObject { ["phase"] = "Terminating" };
                }

                if (isCrd)
                {
                    if (md["finalizers"] is not JsonArray fins)
                    {
                        md["finalizers"] = fins = new JsonArray();
                    }

                    if (!fins.Any(f => (string?)f == "customresourcecleanup.apiextensions.k8s.io"))
                    {
                        fins.Add("customresourcecleanup.apiextensions.k8s.io");
                    }

                    if (obj["status"]?["conditions"] is JsonArray conditions)
                    {
                        conditions.Add(new JsonObject
                        {
                            ["type"] = "Terminating",
                            ["status"] = "True",
                            ["lastTransitionTime"] = Now(),
                            ["reason"] = "InstanceDeletionPending",
                            ["message"] = "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon",
                        });
                    }
                }

                return Mutation.Put(Canonical(type, obj));
            }

            gone = true;
            return Mutation.Delete;
        }, dryRun)!;

        if (!dryRun && isNamespace)
        {
            FinalizeNamespace(name);
        }
        else if (!dryRun && isCrd)
        {
            CleanupCrd(name);
        }
        else if (!dryRun && type.Namespaced && ns.Length > 0)
        {
            MaybeFinalizeNamespace(ns);
        }

        immediately = gone;
        return result;
    }

    /// <summary>After a write in a terminating namespace: remove the namespace once it is empty.</summary>
    public void MaybeFinalizeNamespace(string ns)
    {
        if (Store.Get(NamespaceType.StorageKey, ns) is { Terminating: true })
        {
            FinalizeNamespace(ns);
        }
    }

    /// <summary>The namespace controller: deletes the namespace's content, then the namespace once nothing is left.</summary>
    private void FinalizeNamespace(string ns)
    {
        var remaining = 0;
        foreach (var t in Registry.Current.AllResources().Where(r => r.Namespaced && r.Supports("delete")).DistinctBy(r => r.StorageKey))
        {
            foreach (var o in Store.Snapshot(t.StorageKey, ns))
            {
                if (o.HasFinalizers)
                {
                    remaining++;
                    if (!o.Terminating)
                    {
                        Store.Mutate(t, ns, o.Name, cur =>
                        {
                            if (cur is null || cur.Terminating)
                            {
                                return Mutation.None;
                            }

                            var obj = cur.Parse();
                            var md = (JsonObject)obj["metadata"]!;
                            md["deletionTimestamp"] = Now();
                            md["deletionGracePeriodSeconds"] = 0;
                            return Mutation.Put(obj);
                        }, dryRun: false);
                    }
                }
                else
                {
                    Store.Mutate(t, ns, o.Name, cur => cur is null ? Mutation.None : cur.HasFinalizers ? Mutation.None : Mutation.Delete, dryRun: false);
                }
            }
        }

        if (remaining == 0)
        {
            Store.Mutate(NamespaceType, string.Empty, ns, cur =>
            {
                if (cur is null || !cur.Terminating)
                {
                    return Mutation.None;
                }

                var obj = cur.Parse();
                if (obj["spec"] is JsonObject spec)
                {
                    spec.Remove("finalizers");
                }

                return cur.HasFinalizers ? Mutation.Put(obj) : Mutation.DeleteAs(obj);
            }, dryRun: false);
        }
    }

    // ---------------------------------------------------------------- CustomResourceDefinitions

    private static List<FieldError> ValidateCrd(JsonObject crd, string name)
    {
        var errors = new List<FieldError>();
        var spec = crd["spec"] as JsonObject;
        var group = (string?)spec?["group"] ?? string.Empty;
        var plural = (string?)spec?["names"]?["plural"] ?? string.Empty;
        var kind = (string?)spec?["names"]?["kind"] ?? string.Empty;
        if (group.Length == 0)
        {
            errors.Add(FieldError.Required("spec.group", string.Empty));
        }

        if (plural.Length == 0)
        {
            errors.Add(FieldError.Required("spec.names.plural", string.Empty));
        }

        if (kind.Length == 0)
        {
            errors.Add(FieldError.Required("spec.names.kind", string.Empty));
        }

        if (group.Length > 0 && plural.Length > 0 && name != plural + "." + group)
        {
            errors.Add(FieldError.InvalidValue("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
        }

        var scope = (string?)spec?["scope"] ?? string.Empty;
        if (scope is not ("Namespaced" or "Cluster"))
        {
            errors.Add(scope.Length == 0
                ? FieldError.Required("spec.scope", string.Empty)
                : new FieldError("spec.scope", "FieldValueNotSupported", $"Unsupported value: \"{scope}\": supported values: \"Cluster\", \"Namespaced\""));
        }

        var versions = spec?["versions"] as JsonArray;
        if (versions is null || versions.Count == 0)
        {
            errors.Add(new FieldError("spec.versions", "FieldValueInvalid", "Invalid value: \"null\": must have exactly one version marked as storage version"));
        }
        else if (versions.Count(v => (bool?)v?["storage"] == true) != 1)
        {
            errors.Add(new FieldError("spec.versions", "FieldValueInvalid", "Invalid value: \"null\": must have exactly one version marked as storage version"));
        }

        return errors;
    }

    /// <summary>Defaults of a new CRD, as the apiextensions apiserver sets them.</summary>
    private static void DefaultCrd(JsonObject crd)
    {
        var spec = (JsonObject)crd["spec"]!;
        var names = (JsonObject)spec["names"]!;
        var kind = (string)names["kind"]!;
        names["singular"] ??= kind.ToLowerInvariant();
        names["listKind"] ??= kind + "List";
        if (spec["conversion"] is null)
        {
            spec["conversion"] = new JsonObject { ["strategy"] = "None" };
        }

        var storage = spec["versions"]!.AsArray().First(v => (bool?)v!["storage"] == true)!;
        crd["status"] = new JsonObject
        {
            ["conditions"] = null,
            ["acceptedNames"] = new JsonObject { ["plural"] = string.Empty, ["kind"] = string.Empty },
            ["storedVersions"] = new JsonArray((string?)storage["name"]),
        };
    }

    /// <summary>The CRD controller: accepts the names, sets Established and serves the resource.</summary>
    private StoredObject? EstablishCrd(string name)
    {
        var result = Store.Mutate(CrdType, string.Empty, name, cur =>
        {
            if (cur is null || cur.Terminating)
            {
                return Mutation.None;
            }

            var obj = cur.Parse();
            var status = obj["status"] as JsonObject ?? new JsonObject();
            var now = Now();
            status["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "NamesAccepted", ["status"] = "True", ["lastTransitionTime"] = now, ["reason"] = "NoConflicts", ["message"] = "no conflicts found" },
                new JsonObject { ["type"] = "Established", ["status"] = "True", ["lastTransitionTime"] = now, ["reason"] = "InitialNamesAccepted", ["message"] = "the initial names have been accepted" });
            status["acceptedNames"] = obj["spec"]!["names"]!.DeepClone();
            obj["status"] = status;
            return Mutation.Put(obj);
        }, dryRun: false);
        if (result is not null)
        {
            RegisterCrd(result.Parse());
        }

        return result;
    }

    /// <summary>Serves the versions of an established CRD.</summary>
    public void RegisterCrd(JsonObject crd)
    {
        var name = (string)crd["metadata"]!["name"]!;
        var spec = crd["spec"]!;
        var group = (string)spec["group"]!;
        var names = spec["names"]!;
        var types = new List<ResourceType>();
        foreach (var v in spec["versions"]!.AsArray())
        {
            if ((bool?)v!["served"] == false)
            {
                continue;
            }

            var subs = new List<SubresourceType>();
            var kind = (string)names["kind"]!;
            if (v["subresources"]?["status"] is not null)
            {
                subs.Add(new SubresourceType("status", kind, string.Empty, string.Empty, ["get", "patch", "update"]));
            }

            if (v["subresources"]?["scale"] is not null)
            {
                subs.Add(new SubresourceType("scale", "Scale", "autoscaling", "v1", ["get", "patch", "update"]));
            }

            types.Add(new ResourceType
            {
                Group = group,
                Version = (string)v["name"]!,
                Plural = (string)names["plural"]!,
                Singular = (string?)names["singular"] ?? kind.ToLowerInvariant(),
                Kind = kind,
                Namespaced = (string?)spec["scope"] == "Namespaced",
                Verbs = ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"],
                ShortNames = ResourceRegistry.Strings(names["shortNames"]),
                Categories = ResourceRegistry.Strings(names["categories"]),
                Subresources = subs,
                IsCustom = true,
                Schema = v["schema"]?["openAPIV3Schema"] as JsonObject,
                PrinterColumns = v["additionalPrinterColumns"]?.DeepClone() as JsonArray,
            });
        }

        Registry.SetCustom(name, types);
    }

    /// <summary>The CRD finalizer: deletes every custom resource, stops serving them, then removes the CRD.</summary>
    private void CleanupCrd(string name)
    {
        var crd = Store.Get(CrdType.StorageKey, name);
        if (crd is null)
        {
            return;
        }

        var obj = crd.Parse();
        var group = (string?)obj["spec"]?["group"] ?? string.Empty;
        var plural = (string?)obj["spec"]?["names"]?["plural"] ?? string.Empty;
        var type = Registry.Current.AllResources().FirstOrDefault(r => r.IsCustom && r.Group == group && r.Plural == plural);
        if (type is not null)
        {
            foreach (var o in Store.Snapshot(type.StorageKey, null))
            {
                Store.Mutate(type, o.Namespace, o.Name, _ => Mutation.Delete, dryRun: false);
            }
        }

        Registry.RemoveCustom(name);
        Store.Mutate(CrdType, string.Empty, name, cur =>
        {
            if (cur is null)
            {
                return Mutation.None;
            }

            var last = cur.Parse();
            if (last["metadata"]?["finalizers"] is JsonArray fins)
            {
                for (var i = fins.Count - 1; i >= 0; i--)
                {
                    if ((string?)fins[i] == "customresourcecleanup.apiextensions.k8s.io")
                    {
                        fins.RemoveAt(i);
                    }
                }

                return fins.Count == 0 ? Mutation.DeleteAs(last) : Mutation.Put(last);
            }

            return Mutation.DeleteAs(last);
        }, dryRun: false);
    }

    // ---------------------------------------------------------------- seeding

    /// <summary>Stores an object as written (status, finalizers, deletionTimestamp included), creating its namespace if needed.</summary>
    public StoredObject Seed(JsonObject obj)
    {
        var apiVersion = (string?)obj["apiVersion"] ?? string.Empty;
        var kind = (string?)obj["kind"] ?? string.Empty;
        var type = Registry.Current.FindByKind(apiVersion, kind)
            ?? throw new InvalidOperationException($"no resource serves {apiVersion}, Kind={kind}");
        var metadata = Metadata(obj);
        var name = (string?)metadata["name"] ?? string.Empty;
        if (name.Length == 0)
        {
            throw new InvalidOperationException($"{kind} has no metadata.name");
        }

        var errors = Validation.Name(type.Plural, type.Group, name);
        if (type.StorageKey == CrdType.StorageKey)
        {
            errors.AddRange(ValidateCrd(obj, name));
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException(ApiException.Invalid(type, name, errors).Message);
        }

        var ns = string.Empty;
        if (type.Namespaced)
        {
            ns = (string?)metadata["namespace"] ?? string.Empty;
            if (ns.Length == 0)
            {
                ns = "default";
                metadata["namespace"] = ns;
            }

            EnsureNamespace(ns);
        }
        else
        {
            metadata.Remove("namespace");
        }

        if (metadata["uid"] is null)
        {
            metadata["uid"] = Guid.NewGuid().ToString();
        }

        if (metadata["creationTimestamp"] is null)
        {
            metadata["creationTimestamp"] = Now();
        }

        if (HasGeneration(type) && metadata["generation"] is null)
        {
            metadata["generation"] = 1;
        }

        metadata.Remove("resourceVersion");
        if (metadata["name"] is null)
        {
            metadata["name"] = name;
        }

        var isCrd = type.StorageKey == CrdType.StorageKey;
        if (type.Group.Length == 0 && type.Plural == "namespaces")
        {
            if (metadata["labels"] is not JsonObject labels)
            {
                metadata["labels"] = labels = new JsonObject();
            }

            labels["kubernetes.io/metadata.name"] = name;
            obj["spec"] ??= new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
            obj["status"] ??= new JsonObject { ["phase"] = metadata["deletionTimestamp"] is null ? "Active" : "Terminating" };
        }

        if (isCrd && obj["status"] is null)
        {
            DefaultCrd(obj);
        }

        var final = Canonical(type, obj);
        var stored = Store.Mutate(type, ns, name, _ => Mutation.Put(final), dryRun: false)!;
        if (isCrd)
        {
            if (stored.Parse()["status"]?["conditions"] is JsonArray c && c.Any(x => (string?)x?["type"] == "Established" && (string?)x["status"] == "True"))
            {
                RegisterCrd(stored.Parse());
            }
            else
            {
                stored = EstablishCrd(name) ?? stored;
            }
        }

        return stored;
    }

    /// <summary>Prepares a CRD create (defaults) before it is stored; called by the HTTP layer.</summary>
    public static void PrepareCrd(JsonObject crd)
    {
        if (crd["spec"]?["names"]?["kind"] is not null && crd["spec"]?["versions"] is JsonArray { Count: > 0 } v && v.Any(x => (bool?)x?["storage"] == true))
        {
            DefaultCrd(crd);
        }
    }

    // ---------------------------------------------------------------- serialization order

    private static readonly string[] MetadataOrder =
    [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields",
    ];

    /// <summary>
    /// Orders an object as a real server writes it: built-in objects kind, apiVersion, metadata (in ObjectMeta's
    /// field order), then the rest; custom resources apiVersion, kind, then keys in the order given.
    /// </summary>
    public static JsonObject Canonical(ResourceType type, JsonObject obj)
    {
        var result = new JsonObject();
        var props = obj.ToList();
        obj.Clear();
        var dict = props.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var head = type.IsCustom ? new[] { "apiVersion", "kind" } : ["kind", "apiVersion"];
        foreach (var h in head)
        {
            if (dict.Remove(h, out var v))
            {
                result[h] = v;
            }
        }

        if (dict.Remove("metadata", out var mdNode) && mdNode is JsonObject md)
        {
            var mprops = md.ToList();
            md.Clear();
            var mdict = mprops.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            var ordered = new JsonObject();
            IEnumerable<string> keys = type.IsCustom ? mdict.Keys.Order(StringComparer.Ordinal).ToList() : MetadataOrder.Concat(mdict.Keys.Except(MetadataOrder)).ToList();
            foreach (var k in keys)
            {
                if (mdict.Remove(k, out var v))
                {
                    ordered[k] = v;
                }
            }

            result["metadata"] = ordered;
        }
        else
        {
            result["metadata"] = new JsonObject();
        }

        foreach (var p in props)
        {
            if (dict.Remove(p.Key, out var v))
            {
                result[p.Key] = v;
            }
        }

        return result;
    }
}

/// <summary>A formatted timestamp and the second it stands for.</summary>
internal sealed record CachedTime(long Seconds, string Text);
