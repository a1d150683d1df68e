using System.Text.Json.Nodes;
using Velero.Sdk.Testing;

namespace Velero.Sdk.Tests.Backup;

/// <summary>
/// A small cluster on the in-process API server, seeded as if controllers had run: an application namespace with a pod, its
/// claim and volume, a deployment, config, a service account bound to a cluster role, a custom resource and its CRD; a second
/// namespace; a namespace labelled to stay out of backups; and cluster-scoped objects of several kinds.
/// </summary>
internal static class ShopCluster
{
    public static async Task<KubernetesApiServer> StartAsync()
    {
        var server = await KubernetesApiServer.StartAsync();
        foreach (var obj in Objects())
        {
            await server.SeedAsync(obj);
        }

        return server;
    }

    public static IEnumerable<JsonObject> Objects()
    {
        yield return Obj("""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},
             "spec":{"group":"example.com","names":{"kind":"Widget","listKind":"WidgetList","plural":"widgets","singular":"widget"},
                     "scope":"Namespaced","versions":[{"name":"v1","served":true,"storage":true,
                     "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
            """);
        yield return Obj("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop","labels":{"team":"shop"}},"status":{"phase":"Active"}}""");
        yield return Obj("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"web"},"status":{"phase":"Active"}}""");
        yield return Obj("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"secret-stuff","labels":{"velero.io/exclude-from-backup":"true"}},"status":{"phase":"Active"}}""");
        yield return Obj("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-0","namespace":"shop","labels":{"app":"web"},
              "annotations":{"pre.hook.backup.velero.io/command":"[\"/bin/freeze\",\"--now\"]","pre.hook.backup.velero.io/container":"app",
                             "post.hook.backup.velero.io/command":"[\"/bin/thaw\"]","post.hook.backup.velero.io/container":"app"}},
             "spec":{"nodeName":"node-1","serviceAccountName":"runner","containers":[{"name":"app","image":"nginx:1.27"}],
                     "volumes":[{"name":"data","persistentVolumeClaim":{"claimName":"data"}}]},
             "status":{"phase":"Running","podIP":"10.0.0.7"},"futureTopLevelField":{"keep":[1,2.50,"x"]}}
            """);
        yield return Obj("""
            {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data","namespace":"shop","labels":{"app":"web","velero.io/restore-name":"old"}},
             "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},"volumeName":"pv-data","storageClassName":"standard",
                     "selector":{"matchLabels":{"x":"y"}},"dataSource":{"kind":"VolumeSnapshot","name":"s"}},
             "status":{"phase":"Bound"}}
            """);
        yield return Obj("""
            {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv-data","labels":{"topology.kubernetes.io/zone":"us-east-1a"}},
             "spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"persistentVolumeReclaimPolicy":"Delete","storageClassName":"standard",
                     "claimRef":{"namespace":"shop","name":"data"},"awsElasticBlockStore":{"volumeID":"vol-0abc","fsType":"ext4"}},
             "status":{"phase":"Bound"}}
            """);
        yield return Obj("""{"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv-unused"},"spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"hostPath":{"path":"/tmp/x"}},"status":{"phase":"Available"}}""");
        yield return Obj("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg","namespace":"shop","labels":{"app":"web"}},"data":{"k":"v"}}""");
        yield return Obj("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"skip-me","namespace":"shop","labels":{"velero.io/exclude-from-backup":"true"}},"data":{"k":"v"}}""");
        yield return Obj("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"creds","namespace":"shop"},"type":"Opaque","data":{"p":"cGFzcw=="}}""");
        yield return Obj("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"shop","labels":{"app":"web"}},"spec":{"clusterIP":"10.96.0.10","ports":[{"port":80}]}}""");
        yield return Obj("""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"runner","namespace":"shop"}}""");
        yield return Obj("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop","labels":{"app":"web"}},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"nginx:1.27"}]}}},
             "status":{"replicas":1}}
            """);
        yield return Obj("""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w1","namespace":"shop"},"spec":{"size":3,"unknownNested":{"a":true}}}""");
        yield return Obj("""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"runner-role"},"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]}""");
        yield return Obj("""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"runner-binding"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"runner-role"},"subjects":[{"kind":"ServiceAccount","name":"runner","namespace":"shop"}]}""");
        yield return Obj("""{"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"name":"standard"},"provisioner":"kubernetes.io/aws-ebs"}""");
        yield return Obj("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"page","namespace":"web","labels":{"app":"page"}},"data":{"index.html":"<h1>hi</h1>"}}""");
        yield return Obj("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"static","namespace":"web"},"spec":{"containers":[{"name":"c","image":"busybox"}]},"status":{"phase":"Running"}}""");
        yield return Obj("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"hidden","namespace":"secret-stuff"},"data":{"k":"v"}}""");
    }

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();
}
