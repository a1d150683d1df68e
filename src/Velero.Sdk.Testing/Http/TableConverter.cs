using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Velero.Sdk.Testing.Discovery;
using Velero.Sdk.Testing.Storage;

namespace Velero.Sdk.Testing.Http;

/// <summary>How a table row carries its object (the <c>includeObject</c> parameter).</summary>
internal enum IncludeObject
{
    /// <summary>A <c>PartialObjectMetadata</c> (the default).</summary>
    Metadata,

    /// <summary>The whole object.</summary>
    Object,

    /// <summary>No object (<c>null</c>).</summary>
    None,
}

/// <summary>A request for server-side printing: <c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>.</summary>
internal sealed record TableRequest(string GroupVersion, IncludeObject Include)
{
    public string ContentType => "application/json;as=Table;v=" + GroupVersion["meta.k8s.io/".Length..] + ";g=meta.k8s.io";
}

/// <summary>
/// Server-side printing as kube-apiserver does it: <c>meta.k8s.io/v1 Table</c> with the columns of Kubernetes' own
/// printers for the common built-in kinds (all columns, including the <c>-o wide</c> ones, as the server sends them),
/// a CustomResourceDefinition's <c>additionalPrinterColumns</c> (or its default Age column), and
/// <c>Name</c>/<c>Created At</c> for every other resource, as the server's default table convertor prints it.
/// </summary>
internal static class TableConverter
{
    private const string NameDoc = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
    private const string CreationDoc = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    private static readonly Column NameColumn = new("Name", "string", NameDoc, Format: "name");
    private static readonly Column AgeColumn = new("Age", "string", CreationDoc);
    private static readonly Column ContainersColumn = new("Containers", "string", "Names of each container in the template.", Priority: 1);
    private static readonly Column ImagesColumn = new("Images", "string", "Images referenced by each container in the template.", Priority: 1);

    private static readonly Dictionary<string, Printer> Printers = new(StringComparer.Ordinal)
    {
        ["/pods"] = new(
            [
                NameColumn,
                new("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
                new("Status", "string", "The aggregate status of the containers in this pod."),
                new("Restarts", "string", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
                AgeColumn,
                new("IP", "string", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", Priority: 1),
                new("Node", "string", "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename", Priority: 1),
                new("Nominated Node", "string", "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.", Priority: 1),
                new("Readiness Gates", "string", "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to \"True\" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates", Priority: 1),
            ],
            PodCells),
        ["apps/deployments"] = new(
            [
                NameColumn,
                new("Ready", "string", "Number of the pod with ready state"),
                new("Up-to-date", "string", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
                new("Available", "string", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
                AgeColumn,
                ContainersColumn,
                ImagesColumn,
                new("Selector", "string", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.", Priority: 1),
            ],
            (o, now) =>
            {
                var (names, images) = ContainerCells(o["spec"]?["template"]?["spec"]?["containers"]);
                return [Name(o), Str($"{Int(o["status"]?["readyReplicas"])}/{Int(o["spec"]?["replicas"])}"), Int(o["status"]?["updatedReplicas"]), Int(o["status"]?["availableReplicas"]), Age(o, now), names, images, SelectorString(o["spec"]?["selector"])];
            }),
        ["apps/replicasets"] = new(
            [
                NameColumn,
                new("Desired", "integer", "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller"),
                new("Current", "integer", "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller"),
                new("Ready", "integer", "The number of ready replicas for this replica set. A pod is counted as ready when it has the Ready condition."),
                AgeColumn,
                ContainersColumn,
                ImagesColumn,
                new("Selector", "string", "Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors", Priority: 1),
            ],
            (o, now) =>
            {
                var (names, images) = ContainerCells(o["spec"]?["template"]?["spec"]?["containers"]);
                return [Name(o), Int(o["spec"]?["replicas"]), Int(o["status"]?["replicas"]), Int(o["status"]?["readyReplicas"]), Age(o, now), names, images, SelectorString(o["spec"]?["selector"])];
            }),
        ["apps/statefulsets"] = new(
            [NameColumn, new("Ready", "string", "Number of the pod with ready state"), AgeColumn, ContainersColumn, ImagesColumn],
            (o, now) =>
            {
                var (names, images) = ContainerCells(o["spec"]?["template"]?["spec"]?["containers"]);
                return [Name(o), Str($"{Int(o["status"]?["readyReplicas"])}/{Int(o["spec"]?["replicas"])}"), Age(o, now), names, images];
            }),
        ["apps/daemonsets"] = new(
            [
                NameColumn,
                new("Desired", "integer", "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
                new("Current", "integer", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
                new("Ready", "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition."),
                new("Up-to-date", "integer", "The total number of nodes that are running updated daemon pod"),
                new("Available", "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
                new("Node Selector", "string", "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
                AgeColumn,
                ContainersColumn,
                ImagesColumn,
                new("Selector", "string", "A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors", Priority: 1),
            ],
            (o, now) =>
            {
                var (names, images) = ContainerCells(o["spec"]?["template"]?["spec"]?["containers"]);
                var st = o["status"];
                return [Name(o), Int(st?["desiredNumberScheduled"]), Int(st?["currentNumberScheduled"]), Int(st?["numberReady"]), Int(st?["updatedNumberScheduled"]), Int(st?["numberAvailable"]), Str(FormatLabels(o["spec"]?["template"]?["spec"]?["nodeSelector"])), Age(o, now), names, images, SelectorString(o["spec"]?["selector"])];
            }),
        ["batch/jobs"] = new(
            [
                NameColumn,
                new("Status", "string", "Status of the job."),
                new("Completions", "string", "The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs."),
                new("Duration", "string", "Time required to complete the job."),
                AgeColumn,
                ContainersColumn,
                ImagesColumn,
                new("Selector", "string", "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors", Priority: 1),
            ],
            JobCells),
        ["batch/cronjobs"] = new(
            [
                NameColumn,
                new("Schedule", "string", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
                new("Timezone", "string", "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones"),
                new("Suspend", "boolean", "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false."),
                new("Active", "integer", "A list of pointers to currently running jobs."),
                new("Last Schedule", "string", "Information when was the last time the job was successfully scheduled."),
                AgeColumn,
                ContainersColumn,
                ImagesColumn,
                new("Selector", "string", "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors", Priority: 1),
            ],
            (o, now) =>
            {
                var jobSpec = o["spec"]?["jobTemplate"]?["spec"];
                var (names, images) = ContainerCells(jobSpec?["template"]?["spec"]?["containers"]);
                var last = Text(o["status"]?["lastScheduleTime"]) is { Length: > 0 } ls ? Since(ls, now) : "<none>";
                var suspend = o["spec"]?["suspend"] is JsonValue sv && sv.TryGetValue<bool>(out var b) ? (b ? "True" : "False") : "<unset>";
                return [Name(o), Str(Text(o["spec"]?["schedule"])), Str(Text(o["spec"]?["timeZone"]) ?? "<none>"), Str(suspend), JsonValue.Create((long)Count(o["status"]?["active"])), Str(last), Age(o, now), names, images, SelectorString(jobSpec?["selector"])];
            }),
        ["/services"] = new(
            [
                NameColumn,
                new("Type", "string", "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. \"ClusterIP\" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is \"None\", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. \"NodePort\" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. \"LoadBalancer\" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. \"ExternalName\" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types"),
                new("Cluster-IP", "string", "clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are \"None\", empty string (\"\"), or a valid IP address. Setting this to \"None\" makes a \"headless service\" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies"),
                new("External-IP", "string", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system."),
                new("Port(s)", "string", "The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies"),
                AgeColumn,
                new("Selector", "string", "Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/", Priority: 1),
            ],
            ServiceCells),
        ["/configmaps"] = new(
            [NameColumn, new("Data", "string", "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process."), AgeColumn],
            (o, now) => [Name(o), JsonValue.Create((long)(Count(o["data"]) + Count(o["binaryData"]))), Age(o, now)]),
        ["/secrets"] = new(
            [
                NameColumn,
                new("Type", "string", "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types"),
                new("Data", "string", "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"),
                AgeColumn,
            ],
            (o, now) => [Name(o), Str(Text(o["type"]) ?? string.Empty), JsonValue.Create((long)Count(o["data"])), Age(o, now)]),
        ["/namespaces"] = new(
            [NameColumn, new("Status", "string", "The status of the namespace"), AgeColumn],
            (o, now) => [Name(o), Str(Text(o["status"]?["phase"]) ?? string.Empty), Age(o, now)]),
        ["/serviceaccounts"] = new(
            [NameColumn, new("Secrets", "string", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a \"kubernetes.io/enforce-mountable-secrets\" annotation set to \"true\". The \"kubernetes.io/enforce-mountable-secrets\" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret"), AgeColumn],
            (o, now) => [Name(o), JsonValue.Create((long)Count(o["secrets"])), Age(o, now)]),
        ["/persistentvolumes"] = new(
            [
                NameColumn,
                new("Capacity", "string", "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity"),
                new("Access Modes", "string", "accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes"),
                new("Reclaim Policy", "string", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming"),
                new("Status", "string", "phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase"),
                new("Claim", "string", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding"),
                new("StorageClass", "string", "StorageClass of the pv"),
                new("VolumeAttributesClass", "string", "VolumeAttributesClass of the pv"),
                new("Reason", "string", "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI."),
                AgeColumn,
                new("VolumeMode", "string", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.", Priority: 1),
            ],
            (o, now) =>
            {
                var spec = o["spec"];
                var claim = spec?["claimRef"] is JsonObject cr ? Text(cr["namespace"]) + "/" + Text(cr["name"]) : string.Empty;
                var phase = o["metadata"]?["deletionTimestamp"] is not null ? "Terminating" : Text(o["status"]?["phase"]) ?? string.Empty;
                var cls = Text(spec?["storageClassName"]) ?? Text(o["metadata"]?["annotations"]?["volume.beta.kubernetes.io/storage-class"]) ?? string.Empty;
                return [Name(o), Str(Text(spec?["capacity"]?["storage"]) ?? "0"), Str(AccessModes(spec?["accessModes"])), Str(Text(spec?["persistentVolumeReclaimPolicy"]) ?? string.Empty), Str(phase), Str(claim), Str(cls), Str(Text(spec?["volumeAttributesClassName"]) ?? "<unset>"), Str(Text(o["status"]?["reason"]) ?? string.Empty), Age(o, now), Str(Text(spec?["volumeMode"]) ?? "<unset>")];
            }),
        ["/persistentvolumeclaims"] = new(
            [
                NameColumn,
                new("Status", "string", "phase represents the current phase of PersistentVolumeClaim."),
                new("Volume", "string", "volumeName is the binding reference to the PersistentVolume backing this claim."),
                new("Capacity", "string", "capacity represents the actual resources of the underlying volume."),
                new("Access Modes", "string", "accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1"),
                new("StorageClass", "string", "StorageClass of the pvc"),
                new("VolumeAttributesClass", "string", "VolumeAttributesClass of the pvc"),
                AgeColumn,
                new("VolumeMode", "string", "volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.", Priority: 1),
            ],
            (o, now) =>
            {
                var spec = o["spec"];
                var phase = o["metadata"]?["deletionTimestamp"] is not null ? "Terminating" : Text(o["status"]?["phase"]) ?? string.Empty;
                var volume = Text(spec?["volumeName"]) ?? string.Empty;
                var capacity = volume.Length > 0 ? Text(o["status"]?["capacity"]?["storage"]) ?? "0" : string.Empty;
                var modes = volume.Length > 0 ? AccessModes(o["status"]?["accessModes"]) : string.Empty;
                var cls = Text(o["metadata"]?["annotations"]?["volume.beta.kubernetes.io/storage-class"]) ?? Text(spec?["storageClassName"]) ?? string.Empty;
                return [Name(o), Str(phase), Str(volume), Str(capacity), Str(modes), Str(cls), Str(Text(spec?["volumeAttributesClassName"]) ?? "<unset>"), Age(o, now), Str(Text(spec?["volumeMode"]) ?? "<unset>")];
            }),
        ["/nodes"] = new(
            [
                NameColumn,
                new("Status", "string", "The status of the node"),
                new("Roles", "string", "The roles of the node"),
                AgeColumn,
                new("Version", "string", "Kubelet Version reported by the node."),
                new("Internal-IP", "string", "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).", Priority: 1),
                new("External-IP", "string", "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).", Priority: 1),
                new("OS-Image", "string", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", Priority: 1),
                new("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", Priority: 1),
                new("Container-Runtime", "string", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", Priority: 1),
            ],
            NodeCells),
        ["networking.k8s.io/ingresses"] = new(
            [
                NameColumn,
                new("Class", "string", "The name of the IngressClass resource that should be used for additional configuration"),
                new("Hosts", "string", "Hosts that incoming requests are matched against before the ingress rule"),
                new("Address", "string", "Address is a list containing ingress points for the load-balancer"),
                new("Ports", "string", "Ports of TLS configurations that open"),
                AgeColumn,
            ],
            (o, now) =>
            {
                var rules = Items(o["spec"]?["rules"]).ToList();
                var hosts = rules.Select(r => Text(r?["host"]) ?? string.Empty).Where(h => h.Length > 0).Take(3).ToList();
                var hostText = hosts.Count == 0 ? "*" : string.Join(',', hosts) + (rules.Count > 3 && hosts.Count == 3 ? $" + {rules.Count - 3} more..." : string.Empty);
                var address = string.Join(',', Items(o["status"]?["loadBalancer"]?["ingress"])
                    .Select(i => Text(i?["ip"]) is { Length: > 0 } a ? a : Text(i?["hostname"]) ?? string.Empty)
                    .Where(a => a.Length > 0).Distinct().Order(StringComparer.Ordinal));
                var ports = Items(o["spec"]?["tls"]).Any() ? "80, 443" : "80";
                return [Name(o), Str(Text(o["spec"]?["ingressClassName"]) ?? "<none>"), Str(hostText), Str(address), Str(ports), Age(o, now)];
            }),
        ["/events"] = new(
            [
                new("Last Seen", "string", "The time at which the most recent occurrence of this event was recorded."),
                new("Type", "string", "Type of this event (Normal, Warning), new types could be added in the future"),
                new("Reason", "string", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
                new("Object", "string", "The object that this event is about."),
                new("Subobject", "string", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].", Priority: 1),
                new("Source", "string", "The component reporting this event. Should be a short machine understandable string.", Priority: 1),
                new("Message", "string", "A human-readable description of the status of this operation."),
                new("First Seen", "string", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)", Priority: 1),
                new("Count", "string", "The number of times this event has occurred.", Priority: 1),
                new("Name", "string", NameDoc, Format: "name", Priority: 1),
            ],
            EventCells),
        ["events.k8s.io/events"] = new(
            [
                new("Last Seen", "string", "The time at which the most recent occurrence of this event was recorded."),
                new("Type", "string", "Type of this event (Normal, Warning), new types could be added in the future"),
                new("Reason", "string", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
                new("Object", "string", "The object that this event is about."),
                new("Subobject", "string", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].", Priority: 1),
                new("Source", "string", "The component reporting this event. Should be a short machine understandable string.", Priority: 1),
                new("Message", "string", "A human-readable description of the status of this operation."),
                new("First Seen", "string", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)", Priority: 1),
                new("Count", "string", "The number of times this event has occurred.", Priority: 1),
                new("Name", "string", NameDoc, Format: "name", Priority: 1),
            ],
            EventCells),
        ["coordination.k8s.io/leases"] = new(
            [NameColumn, new("Holder", "string", "holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field."), AgeColumn],
            (o, now) => [Name(o), Str(Text(o["spec"]?["holderIdentity"]) ?? string.Empty), Age(o, now)]),
        ["storage.k8s.io/storageclasses"] = new(
            [
                NameColumn,
                new("Provisioner", "string", "provisioner indicates the type of the provisioner."),
                new("ReclaimPolicy", "string", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete."),
                new("VolumeBindingMode", "string", "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature."),
                new("AllowVolumeExpansion", "string", "allowVolumeExpansion shows whether the storage class allow volume expand."),
                AgeColumn,
            ],
            (o, now) =>
            {
                var annotations = o["metadata"]?["annotations"];
                var isDefault = Text(annotations?["storageclass.kubernetes.io/is-default-class"]) == "true" || Text(annotations?["storageclass.beta.kubernetes.io/is-default-class"]) == "true";
                var expand = o["allowVolumeExpansion"] is JsonValue ev && ev.TryGetValue<bool>(out var e) && e;
                return [Str(Text(o["metadata"]?["name"]) + (isDefault ? " (default)" : string.Empty)), Str(Text(o["provisioner"]) ?? string.Empty), Str(Text(o["reclaimPolicy"]) ?? "Delete"), Str(Text(o["volumeBindingMode"]) ?? "Immediate"), JsonValue.Create(expand), Age(o, now)];
            }),
    };

    private delegate JsonNode?[] CellFunc(JsonObject obj, DateTimeOffset now);

    /// <summary>The table the request asks for, or null for plain JSON (the first acceptable media type wins).</summary>
    public static TableRequest? Negotiate(HttpContext ctx)
    {
        foreach (var header in ctx.Request.Headers.Accept)
        {
            foreach (var part in (header ?? string.Empty).Split(','))
            {
                var pieces = part.Split(';');
                var media = pieces[0].Trim();
                string? asKind = null;
                string? g = null;
                string? v = null;
                foreach (var p in pieces.Skip(1))
                {
                    var eq = p.IndexOf('=', StringComparison.Ordinal);
                    if (eq < 0)
                    {
                        continue;
                    }

                    var key = p[..eq].Trim();
                    var value = p[(eq + 1)..].Trim();
                    switch (key)
                    {
                        case "as":
                            asKind = value;
                            break;
                        case "g":
                            g = value;
                            break;
                        case "v":
                            v = value;
                            break;
                    }
                }

                if (media is not ("application/json" or "application/*" or "*/*"))
                {
                    continue;
                }

                if (asKind is null)
                {
                    return null;
                }

                if (asKind == "Table" && g == "meta.k8s.io" && v is "v1" or "v1beta1")
                {
                    return new TableRequest("meta.k8s.io/" + v, ParseInclude(ctx.Request.Query["includeObject"].ToString()));
                }
            }
        }

        return null;
    }

    private static IncludeObject ParseInclude(string value) => value switch
    {
        "" or "Metadata" => IncludeObject.Metadata,
        "Object" => IncludeObject.Object,
        "None" => IncludeObject.None,
        _ => throw ApiException.BadRequest($"unrecognized includeObject value: \"{value}\""),
    };

    /// <summary>The column definitions of a resource's table.</summary>
    public static JsonArray ColumnDefinitions(ResourceType type)
    {
        var columns = new JsonArray();
        foreach (var c in Columns(type))
        {
            columns.Add(new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Format,
                ["description"] = c.Description,
                ["priority"] = c.Priority,
            });
        }

        return columns;
    }

    /// <summary>A table of <paramref name="objects"/> (a list, one object, or one watch event).</summary>
    public static byte[] Table(ResourceType type, TableRequest request, IEnumerable<StoredObject> objects, JsonObject metadata, bool withColumns, DateTimeOffset now, Func<StoredObject, byte[]> fullObject)
    {
        var rows = new JsonArray();
        foreach (var o in objects)
        {
            rows.Add(Row(type, request, o, now, fullObject));
        }

        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = request.GroupVersion,
            ["metadata"] = metadata,
            ["columnDefinitions"] = withColumns ? ColumnDefinitions(type) : null,
            ["rows"] = rows,
        };
        return JsonSerializer.SerializeToUtf8Bytes(table);
    }

    private static JsonObject Row(ResourceType type, TableRequest request, StoredObject stored, DateTimeOffset now, Func<StoredObject, byte[]> fullObject)
    {
        var obj = stored.Parse();
        var cells = new JsonArray();
        foreach (var cell in Cells(type, obj, now))
        {
            cells.Add(cell);
        }

        var row = new JsonObject { ["cells"] = cells };
        if (type.Group.Length == 0 && type.Plural == "pods" && Text(obj["status"]?["phase"]) is "Succeeded" or "Failed")
        {
            var succeeded = Text(obj["status"]?["phase"]) == "Succeeded";
            row["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Completed",
                ["status"] = "True",
                ["reason"] = succeeded ? "Succeeded" : "Failed",
                ["message"] = succeeded ? "The pod has completed successfully." : "The pod failed.",
            });
        }

        row["object"] = request.Include switch
        {
            IncludeObject.Object => JsonNode.Parse(fullObject(stored)),
            IncludeObject.None => null,
            _ => new JsonObject
            {
                ["kind"] = "PartialObjectMetadata",
                ["apiVersion"] = request.GroupVersion,
                ["metadata"] = obj["metadata"]?.DeepClone() ?? new JsonObject(),
            },
        };
        return row;
    }

    private static IEnumerable<Column> Columns(ResourceType type)
    {
        if (type.IsCustom)
        {
            yield return NameColumn;
            if (type.PrinterColumns is { Count: > 0 } pcs)
            {
                foreach (var pc in pcs)
                {
                    var path = Text(pc?["jsonPath"]) ?? string.Empty;
                    yield return new Column(
                        Text(pc?["name"]) ?? string.Empty,
                        Text(pc?["type"]) ?? "string",
                        Text(pc?["description"]) is { Length: > 0 } d ? d : "Custom resource definition column (in JSONPath format): " + path,
                        Format: Text(pc?["format"]) ?? string.Empty,
                        Priority: pc?["priority"] is JsonValue pv && pv.TryGetValue<int>(out var p) ? p : 0);
                }
            }
            else
            {
                yield return new Column("Age", "date", CreationDoc);
            }

            yield break;
        }

        if (Printers.TryGetValue(type.StorageKey, out var printer))
        {
            foreach (var c in printer.Columns)
            {
                yield return c;
            }

            yield break;
        }

        yield return NameColumn;
        yield return new Column("Created At", "date", CreationDoc);
    }

    private static JsonNode?[] Cells(ResourceType type, JsonObject obj, DateTimeOffset now)
    {
        if (type.IsCustom)
        {
            if (type.PrinterColumns is not { Count: > 0 } pcs)
            {
                return [Name(obj), Age(obj, now)];
            }

            var cells = new List<JsonNode?> { Name(obj) };
            foreach (var pc in pcs)
            {
                var value = JsonPathSubset.First(obj, Text(pc?["jsonPath"]) ?? string.Empty);
                cells.Add(CustomCell(Text(pc?["type"]) ?? "string", value, now));
            }

            return [.. cells];
        }

        if (Printers.TryGetValue(type.StorageKey, out var printer))
        {
            return printer.Cells(obj, now);
        }

        var created = Text(obj["metadata"]?["creationTimestamp"]);
        var createdCell = created is not null && DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : "0001-01-01T00:00:00Z";
        return [Name(obj), Str(createdCell)];
    }

    private static JsonValue? CustomCell(string type, JsonNode? value, DateTimeOffset now)
    {
        if (value is null)
        {
            return null;
        }

        switch (type)
        {
            case "integer":
                if (value is JsonValue iv && iv.GetValueKind() == JsonValueKind.Number)
                {
                    return iv.TryGetValue<long>(out var l) ? JsonValue.Create(l) : JsonValue.Create((long)iv.GetValue<double>());
                }

                return null;
            case "number":
                return value is JsonValue nv && nv.GetValueKind() == JsonValueKind.Number ? JsonValue.Create(nv.GetValue<double>()) : null;
            case "boolean":
                return value is JsonValue bv && bv.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? JsonValue.Create(bv.GetValue<bool>()) : null;
            case "date":
                if (value is JsonValue dv && dv.GetValueKind() == JsonValueKind.String)
                {
                    return DateTimeOffset.TryParse(dv.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ts)
                        ? Str(HumanDuration(now - ts))
                        : Str("<invalid>");
                }

                return null;
            case "string":
                return Str(PrintText(value));
            default:
                return null;
        }
    }

    /// <summary>How kubectl's JSONPath prints a value: strings as they are, maps and lists as JSON.</summary>
    private static string PrintText(JsonNode value) => value switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.TryGetValue<long>(out var l) ? l.ToString(CultureInfo.InvariantCulture) : v.GetValue<double>().ToString("R", CultureInfo.InvariantCulture),
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "true",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "false",
        _ => value.ToJsonString(),
    };

    // ---------------------------------------------------------------- built-in printers

    private static JsonNode?[] PodCells(JsonObject pod, DateTimeOffset now)
    {
        var spec = pod["spec"];
        var status = pod["status"];
        var containers = spec?["containers"] as JsonArray;
        var initContainers = spec?["initContainers"] as JsonArray;
        var restarts = 0L;
        var restartableInitRestarts = 0L;
        var totalContainers = containers?.Count ?? 0;
        var readyContainers = 0;
        DateTimeOffset? lastRestart = null;
        DateTimeOffset? lastRestartableInitRestart = null;
        var phase = Text(status?["phase"]) ?? string.Empty;
        var reason = Text(status?["reason"]) is { Length: > 0 } r ? r : phase;
        foreach (var c in Items(status?["conditions"]))
        {
            if (Text(c?["type"]) == "PodScheduled" && Text(c?["reason"]) == "SchedulingGated")
            {
                reason = "SchedulingGated";
            }
        }

        var restartable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ic in Items(initContainers))
        {
            if (Text(ic?["restartPolicy"]) == "Always")
            {
                restartable.Add(Text(ic?["name"]) ?? string.Empty);
                totalContainers++;
            }
        }

        var initializing = false;
        var initStatuses = Items(status?["initContainerStatuses"]).ToList();
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var cs = initStatuses[i];
            var count = Long(cs?["restartCount"]);
            restarts += count;
            if (Time(cs?["lastState"]?["terminated"]?["finishedAt"]) is { } finished && (lastRestart is null || lastRestart < finished))
            {
                lastRestart = finished;
            }

            var isRestartable = restartable.Contains(Text(cs?["name"]) ?? string.Empty);
            if (isRestartable)
            {
                restartableInitRestarts += count;
                if (Time(cs?["lastState"]?["terminated"]?["finishedAt"]) is { } f && (lastRestartableInitRestart is null || lastRestartableInitRestart < f))
                {
                    lastRestartableInitRestart = f;
                }
            }

            var terminated = cs?["state"]?["terminated"];
            var waiting = cs?["state"]?["waiting"];
            if (terminated is not null && Long(terminated["exitCode"]) == 0)
            {
                continue;
            }

            if (isRestartable && cs?["started"] is JsonValue sv && sv.TryGetValue<bool>(out var started) && started)
            {
                if (Bool(cs?["ready"]))
                {
                    readyContainers++;
                }

                continue;
            }

            if (terminated is not null)
            {
                reason = Text(terminated["reason"]) is { Length: > 0 } tr
                    ? "Init:" + tr
                    : Long(terminated["signal"]) != 0 ? $"Init:Signal:{Long(terminated["signal"])}" : $"Init:ExitCode:{Long(terminated["exitCode"])}";
                initializing = true;
            }
            else if (waiting is not null && Text(waiting["reason"]) is { Length: > 0 } wr && wr != "PodInitializing")
            {
                reason = "Init:" + wr;
                initializing = true;
            }
            else
            {
                reason = $"Init:{i}/{initContainers?.Count ?? 0}";
                initializing = true;
            }

            break;
        }

        var initializedTrue = Items(status?["conditions"]).Any(c => Text(c?["type"]) == "Initialized" && Text(c?["status"]) == "True");
        if (!initializing || initializedTrue)
        {
            restarts = restartableInitRestarts;
            lastRestart = lastRestartableInitRestart;
            var hasRunning = false;
            var statuses = Items(status?["containerStatuses"]).ToList();
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var cs = statuses[i];
                restarts += Long(cs?["restartCount"]);
                if (Time(cs?["lastState"]?["terminated"]?["finishedAt"]) is { } finished && (lastRestart is null || lastRestart < finished))
                {
                    lastRestart = finished;
                }

                var waiting = cs?["state"]?["waiting"];
                var terminated = cs?["state"]?["terminated"];
                if (waiting is not null && Text(waiting["reason"]) is { Length: > 0 } wr)
                {
                    reason = wr;
                }
                else if (terminated is not null && Text(terminated["reason"]) is { Length: > 0 } tr)
                {
                    reason = tr;
                }
                else if (terminated is not null)
                {
                    reason = Long(terminated["signal"]) != 0 ? $"Signal:{Long(terminated["signal"])}" : $"ExitCode:{Long(terminated["exitCode"])}";
                }
                else if (Bool(cs?["ready"]) && cs?["state"]?["running"] is not null)
                {
                    hasRunning = true;
                    readyContainers++;
                }
            }

            if (reason == "Completed" && hasRunning)
            {
                reason = Items(status?["conditions"]).Any(c => Text(c?["type"]) == "Ready" && Text(c?["status"]) == "True") ? "Running" : "NotReady";
            }
        }

        if (pod["metadata"]?["deletionTimestamp"] is not null && Text(status?["reason"]) == "NodeLost")
        {
            reason = "Unknown";
        }
        else if (pod["metadata"]?["deletionTimestamp"] is not null && phase is not ("Succeeded" or "Failed"))
        {
            reason = "Terminating";
        }

        var restartsText = restarts.ToString(CultureInfo.InvariantCulture);
        if (restarts != 0 && lastRestart is { } lr)
        {
            restartsText = $"{restarts} ({HumanDuration(now - lr)} ago)";
        }

        var podIp = Items(status?["podIPs"]).Select(p => Text(p?["ip"])).FirstOrDefault() is { Length: > 0 } ip ? ip : "<none>";
        var node = Text(spec?["nodeName"]) is { Length: > 0 } n ? n : "<none>";
        var nominated = Text(status?["nominatedNodeName"]) is { Length: > 0 } nn ? nn : "<none>";
        var gates = "<none>";
        if (spec?["readinessGates"] is JsonArray { Count: > 0 } rg)
        {
            var trueConditions = 0;
            foreach (var gate in rg)
            {
                var conditionType = Text(gate?["conditionType"]);
                var condition = Items(status?["conditions"]).FirstOrDefault(c => Text(c?["type"]) == conditionType);
                if (condition is not null && Text(condition["status"]) == "True")
                {
                    trueConditions++;
                }
            }

            gates = $"{trueConditions}/{rg.Count}";
        }

        return [Name(pod), Str($"{readyContainers}/{totalContainers}"), Str(reason), Str(restartsText), Age(pod, now), Str(podIp), Str(node), Str(nominated), Str(gates)];
    }

    private static JsonNode?[] ServiceCells(JsonObject svc, DateTimeOffset now)
    {
        var spec = svc["spec"];
        var type = Text(spec?["type"]) ?? string.Empty;
        var clusterIp = Items(spec?["clusterIPs"]).Select(Text).FirstOrDefault() is { } ip ? ip : "<none>";
        var externalIps = Items(spec?["externalIPs"]).Select(x => Text(x) ?? string.Empty).ToList();
        string external;
        switch (type)
        {
            case "ClusterIP" or "NodePort":
                external = externalIps.Count > 0 ? string.Join(',', externalIps) : "<none>";
                break;
            case "LoadBalancer":
                {
                    var lb = Items(svc["status"]?["loadBalancer"]?["ingress"])
                        .Select(i => Text(i?["ip"]) is { Length: > 0 } a ? a : Text(i?["hostname"]) ?? string.Empty)
                        .Where(s => s.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
                    if (externalIps.Count > 0)
                    {
                        external = string.Join(',', lb.Concat(externalIps));
                    }
                    else
                    {
                        external = lb.Count > 0 ? string.Join(',', lb) : "<pending>";
                    }

                    break;
                }

            case "ExternalName":
                external = Text(spec?["externalName"]) ?? string.Empty;
                break;
            default:
                external = "<unknown>";
                break;
        }

        var ports = string.Join(',', Items(spec?["ports"]).Select(p =>
        {
            var port = Long(p?["port"]);
            var protocol = Text(p?["protocol"]) ?? string.Empty;
            var nodePort = Long(p?["nodePort"]);
            return nodePort > 0 ? $"{port}:{nodePort}/{protocol}" : $"{port}/{protocol}";
        }));
        return [Name(svc), Str(type), Str(clusterIp), Str(external), Str(ports.Length > 0 ? ports : "<none>"), Age(svc, now), Str(FormatLabels(spec?["selector"]))];
    }

    private static JsonNode?[] JobCells(JsonObject job, DateTimeOffset now)
    {
        var spec = job["spec"];
        var status = job["status"];
        var succeeded = Long(status?["succeeded"]);
        string completions;
        if (spec?["completions"] is JsonValue)
        {
            completions = $"{succeeded}/{Long(spec["completions"])}";
        }
        else
        {
            var parallelism = Long(spec?["parallelism"]);
            completions = parallelism > 1 ? $"{succeeded}/1 of {parallelism}" : $"{succeeded}/1";
        }

        var duration = string.Empty;
        if (Time(status?["startTime"]) is { } start)
        {
            duration = Time(status?["completionTime"]) is { } end ? HumanDuration(end - start) : HumanDuration(now - start);
        }

        bool Condition(string t) => Items(status?["conditions"]).FirstOrDefault(c => Text(c?["type"]) == t) is { } c && Text(c["status"]) == "True";
        var state = Condition("Complete") ? "Complete"
            : Condition("Failed") ? "Failed"
            : job["metadata"]?["deletionTimestamp"] is not null ? "Terminating"
            : Condition("Suspended") ? "Suspended"
            : Condition("FailureTarget") ? "FailureTarget"
            : "Running";
        var (names, images) = ContainerCells(spec?["template"]?["spec"]?["containers"]);
        return [Name(job), Str(state), Str(completions), Str(duration), Age(job, now), names, images, SelectorString(spec?["selector"])];
    }

    /// <summary>printEvent (wide), for core/v1 and events.k8s.io/v1 events alike.</summary>
    private static JsonNode?[] EventCells(JsonObject e, DateTimeOffset now)
    {
        // events.k8s.io/v1 names some fields differently from core/v1.
        var involved = e["involvedObject"] ?? e["regarding"];
        var message = Text(e["message"]) ?? Text(e["note"]) ?? string.Empty;
        var first = Text(e["firstTimestamp"]) ?? Text(e["deprecatedFirstTimestamp"]);
        var firstSeen = first is { Length: > 0 } ? Since(first, now) : Text(e["eventTime"]) is { Length: > 0 } et ? Since(et, now) : "<unknown>";
        var last = Text(e["lastTimestamp"]) ?? Text(e["deprecatedLastTimestamp"]);
        var lastSeen = last is { Length: > 0 } ? Since(last, now) : firstSeen;
        var count = e["count"] is not null ? Long(e["count"]) : Long(e["deprecatedCount"]);
        if (e["series"] is JsonObject series)
        {
            lastSeen = Text(series["lastObservedTime"]) is { Length: > 0 } lo ? Since(lo, now) : "<unknown>";
            count = Long(series["count"]);
        }
        else if (count == 0)
        {
            count = 1;
        }

        var kind = (Text(involved?["kind"]) ?? string.Empty).ToLowerInvariant();
        var target = Text(involved?["name"]) is { Length: > 0 } n ? kind + "/" + n : kind;
        var component = Text(e["source"]?["component"]) is { Length: > 0 } c ? c : Text(e["reportingController"]) ?? Text(e["deprecatedSource"]?["component"]) ?? string.Empty;
        var host = Text(e["source"]?["host"]) is { Length: > 0 } h ? h : Text(e["reportingInstance"]) ?? string.Empty;
        var source = host.Length == 0 ? component : component + ", " + host;
        return [Str(lastSeen), Str(Text(e["type"]) ?? string.Empty), Str(Text(e["reason"]) ?? string.Empty), Str(target), Str(Text(involved?["fieldPath"]) ?? string.Empty), Str(source), Str(message.Trim()), Str(firstSeen), JsonValue.Create(count), Name(e)];
    }

    private static JsonNode?[] NodeCells(JsonObject node, DateTimeOffset now)
    {
        var status = node["status"];
        var states = new List<string>();
        var ready = Items(status?["conditions"]).LastOrDefault(c => Text(c?["type"]) == "Ready");
        if (ready is not null)
        {
            states.Add(Text(ready["status"]) == "True" ? "Ready" : "NotReady");
        }

        if (states.Count == 0)
        {
            states.Add("Unknown");
        }

        if (node["spec"]?["unschedulable"] is JsonValue u && u.TryGetValue<bool>(out var unschedulable) && unschedulable)
        {
            states.Add("SchedulingDisabled");
        }

        var roles = new SortedSet<string>(StringComparer.Ordinal);
        if (node["metadata"]?["labels"] is JsonObject labels)
        {
            foreach (var (k, v) in labels)
            {
                if (k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal) && k.Length > "node-role.kubernetes.io/".Length)
                {
                    roles.Add(k["node-role.kubernetes.io/".Length..]);
                }
                else if (k == "kubernetes.io/role" && Text(v) is { Length: > 0 } role)
                {
                    roles.Add(role);
                }
            }
        }

        string Address(string t) => Items(status?["addresses"]).FirstOrDefault(a => Text(a?["type"]) == t) is { } a ? Text(a["address"]) ?? string.Empty : "<none>";
        string Info(string f) => Text(status?["nodeInfo"]?[f]) is { Length: > 0 } s ? s : "<unknown>";
        return [Name(node), Str(string.Join(',', states)), Str(roles.Count > 0 ? string.Join(',', roles) : "<none>"), Age(node, now), Str(Text(status?["nodeInfo"]?["kubeletVersion"]) ?? string.Empty), Str(Address("InternalIP")), Str(Address("ExternalIP")), Str(Info("osImage")), Str(Info("kernelVersion")), Str(Info("containerRuntimeVersion"))];
    }

    // ---------------------------------------------------------------- helpers

    private static JsonValue Name(JsonObject o) => Str(Text(o["metadata"]?["name"]) ?? string.Empty);

    private static JsonValue Age(JsonObject o, DateTimeOffset now) =>
        Str(Time(o["metadata"]?["creationTimestamp"]) is { } t ? HumanDuration(now - t) : "<unknown>");

    private static JsonValue Str(string? s) => JsonValue.Create(s ?? string.Empty);

    private static JsonValue Int(JsonNode? n) => JsonValue.Create(Long(n));

    private static string? Text(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static long Long(JsonNode? n)
    {
        if (n is not JsonValue v)
        {
            return 0;
        }

        if (v.TryGetValue<long>(out var l))
        {
            return l;
        }

        return v.TryGetValue<double>(out var d) ? (long)d : 0;
    }

    private static bool Bool(JsonNode? n) => n is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static int Count(JsonNode? n) => n switch
    {
        JsonObject o => o.Count,
        JsonArray a => a.Count,
        _ => 0,
    };

    private static IEnumerable<JsonNode?> Items(JsonNode? n) => n as JsonArray ?? [];

    private static DateTimeOffset? Time(JsonNode? n) =>
        Text(n) is { Length: > 0 } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    private static string Since(string timestamp, DateTimeOffset now) =>
        DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? HumanDuration(now - t) : "<unknown>";

    private static (JsonValue Names, JsonValue Images) ContainerCells(JsonNode? containers)
    {
        var list = Items(containers).ToList();
        return (Str(string.Join(',', list.Select(c => Text(c?["name"]) ?? string.Empty))), Str(string.Join(',', list.Select(c => Text(c?["image"]) ?? string.Empty))));
    }

    private static string AccessModes(JsonNode? modes)
    {
        var set = Items(modes).Select(Text).ToHashSet(StringComparer.Ordinal);
        var result = new List<string>();
        if (set.Contains("ReadWriteOnce"))
        {
            result.Add("RWO");
        }

        if (set.Contains("ReadOnlyMany"))
        {
            result.Add("ROX");
        }

        if (set.Contains("ReadWriteMany"))
        {
            result.Add("RWX");
        }

        if (set.Contains("ReadWriteOncePod"))
        {
            result.Add("RWOP");
        }

        return string.Join(',', result);
    }

    /// <summary><c>labels.FormatLabels</c>: sorted <c>k=v</c> pairs, or <c>&lt;none&gt;</c>.</summary>
    private static string FormatLabels(JsonNode? map)
    {
        if (map is not JsonObject { Count: > 0 } o)
        {
            return "<none>";
        }

        return string.Join(',', o.Select(p => p.Key + "=" + (Text(p.Value) ?? string.Empty)).Order(StringComparer.Ordinal));
    }

    /// <summary>A label selector as <c>metav1.LabelSelectorAsSelector(s).String()</c> prints it.</summary>
    private static JsonValue SelectorString(JsonNode? selector)
    {
        if (selector is not JsonObject s)
        {
            return Str(string.Empty);
        }

        var requirements = new List<(string Key, string Text)>();
        if (s["matchLabels"] is JsonObject ml)
        {
            foreach (var (k, v) in ml)
            {
                requirements.Add((k, k + "=" + Text(v)));
            }
        }

        foreach (var e in Items(s["matchExpressions"]))
        {
            var key = Text(e?["key"]) ?? string.Empty;
            var values = Items(e?["values"]).Select(x => Text(x) ?? string.Empty).Order(StringComparer.Ordinal).ToList();
            switch (Text(e?["operator"]))
            {
                case "In":
                    requirements.Add((key, $"{key} in ({string.Join(',', values)})"));
                    break;
                case "NotIn":
                    requirements.Add((key, $"{key} notin ({string.Join(',', values)})"));
                    break;
                case "Exists":
                    requirements.Add((key, key));
                    break;
                case "DoesNotExist":
                    requirements.Add((key, "!" + key));
                    break;
                default:
                    return Str("<invalid>");
            }
        }

        return Str(string.Join(',', requirements.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Text)));
    }

    /// <summary>Kubernetes' <c>duration.HumanDuration</c>: "5s", "3m20s", "2d5h", "3y".</summary>
    public static string HumanDuration(TimeSpan d)
    {
        var seconds = (long)Math.Truncate(d.TotalSeconds);
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 60 * 2)
        {
            return seconds.ToString(CultureInfo.InvariantCulture) + "s";
        }

        var minutes = (long)(d.Ticks / TimeSpan.TicksPerMinute);
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? $"{minutes}m" : $"{minutes}m{s}s";
        }

        if (minutes < 60 * 3)
        {
            return $"{minutes}m";
        }

        var hours = (long)(d.Ticks / TimeSpan.TicksPerHour);
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? $"{hours}h" : $"{hours}h{m}m";
        }

        if (hours < 48)
        {
            return $"{hours}h";
        }

        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? $"{hours / 24}d" : $"{hours / 24}d{h}h";
        }

        if (hours < 24 * 365 * 2)
        {
            return $"{hours / 24}d";
        }

        if (hours < 24 * 365 * 8)
        {
            var dy = hours / 24 % 365;
            return dy == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{dy}d";
        }

        return $"{hours / 24 / 365}y";
    }

    private sealed record Column(string Name, string Type, string Description, string Format = "", int Priority = 0);

    private sealed record Printer(Column[] Columns, CellFunc Cells);
}

/// <summary>
/// The subset of kubectl's JSONPath that CRD printer columns use: <c>.a.b</c>, <c>[n]</c>, <c>[*]</c>,
/// <c>['key.with.dots']</c> and filters <c>[?(@.a.b=="x")]</c> / <c>!=</c> / existence.
/// </summary>
internal static class JsonPathSubset
{
    /// <summary>The first value the path finds, or null.</summary>
    public static JsonNode? First(JsonNode root, string path)
    {
        var p = path.Trim();
        if (p.StartsWith('{') && p.EndsWith('}'))
        {
            p = p[1..^1];
        }

        if (p.StartsWith('$'))
        {
            p = p[1..];
        }

        List<JsonNode?> current = [root];
        var i = 0;
        while (i < p.Length && current.Count > 0)
        {
            if (p[i] == '.')
            {
                i++;
                if (i < p.Length && p[i] == '.')
                {
                    return null; // recursive descent is not supported
                }

                var start = i;
                while (i < p.Length && p[i] != '.' && p[i] != '[')
                {
                    i++;
                }

                var name = p[start..i];
                if (name.Length == 0)
                {
                    continue;
                }

                current = current.Select(n => n is JsonObject o && o.TryGetPropertyValue(name, out var v) ? v : null).Where(v => v is not null).ToList();
            }
            else if (p[i] == '[')
            {
                var end = FindClose(p, i);
                if (end < 0)
                {
                    return null;
                }

                var inner = p[(i + 1)..end].Trim();
                i = end + 1;
                current = Step(current, inner);
            }
            else
            {
                return null;
            }
        }

        return current.FirstOrDefault();
    }

    private static int FindClose(string p, int open)
    {
        var depth = 0;
        char? quote = null;
        for (var i = open; i < p.Length; i++)
        {
            var c = p[i];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }

                continue;
            }

            if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '[')
            {
                depth++;
            }
            else if (c == ']' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static List<JsonNode?> Step(List<JsonNode?> current, string inner)
    {
        if (inner == "*")
        {
            return current.SelectMany(n => n switch
            {
                JsonArray a => a.AsEnumerable(),
                JsonObject o => o.Select(kv => kv.Value),
                _ => [],
            }).Where(v => v is not null).ToList();
        }

        if (inner.Length >= 2 && inner[0] is '\'' or '"' && inner[^1] == inner[0])
        {
            var key = inner[1..^1];
            return current.Select(n => n is JsonObject o && o.TryGetPropertyValue(key, out var v) ? v : null).Where(v => v is not null).ToList();
        }

        if (int.TryParse(inner, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
        {
            return current.Select(n => n is JsonArray a && (index < 0 ? a.Count + index : index) is var k && k >= 0 && k < a.Count ? a[k] : null).Where(v => v is not null).ToList();
        }

        if (inner.StartsWith("?(", StringComparison.Ordinal) && inner.EndsWith(')'))
        {
            var filter = inner[2..^1].Trim();
            return current.SelectMany(n => n as JsonArray ?? []).Where(item => item is not null && Matches(item, filter)).ToList();
        }

        return [];
    }

    private static bool Matches(JsonNode item, string filter)
    {
        string op;
        var at = filter.IndexOf("==", StringComparison.Ordinal);
        if (at >= 0)
        {
            op = "==";
        }
        else
        {
            at = filter.IndexOf("!=", StringComparison.Ordinal);
            op = at >= 0 ? "!=" : string.Empty;
        }

        var left = (op.Length == 0 ? filter : filter[..at]).Trim();
        if (!left.StartsWith('@'))
        {
            return false;
        }

        var value = First(item, left[1..]);
        if (op.Length == 0)
        {
            return value is not null;
        }

        var right = filter[(at + 2)..].Trim();
        string? expected = right.Length >= 2 && right[0] is '\'' or '"' && right[^1] == right[0] ? right[1..^1] : right;
        var actual = value switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            _ => value.ToJsonString(),
        };
        var equal = actual is not null && actual == expected;
        return op == "==" ? equal : !equal && actual is not null;
    }
}
