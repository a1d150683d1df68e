/// <summary>A small real application: a web app with a volume claim, config, a secret, a service, a CRD and one of its resources.</summary>
internal static class ShopApp
{
    public const string Manifest = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: storefronts.shop.example.com
        spec:
          group: shop.example.com
          names: {kind: Storefront, listKind: StorefrontList, plural: storefronts, singular: storefront}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop, labels: {app: shop}}
        ---
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: shop-data}
        spec:
          capacity: {storage: 1Gi}
          accessModes: [ReadWriteOnce]
          hostPath: {path: /var/lib/shop}
          claimRef: {namespace: shop, name: data}
        status: {phase: Bound}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data, namespace: shop}
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
          volumeName: shop-data
        status: {phase: Bound}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: web-config, namespace: shop}
        data: {greeting: "Welcome to the shop"}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: web-credentials, namespace: shop}
        type: Opaque
        stringData: {password: s3cret}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop, labels: {app: web}}
        spec:
          replicas: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web
                image: nginx:1.27
                volumeMounts: [{name: data, mountPath: /usr/share/nginx/html}]
              volumes:
              - name: data
                persistentVolumeClaim: {claimName: data}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-0, namespace: shop, labels: {app: web}}
        spec:
          nodeName: node-1
          containers:
          - name: web
            image: nginx:1.27
          volumes:
          - name: data
            persistentVolumeClaim: {claimName: data}
        status: {phase: Running}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: 80}]
        ---
        apiVersion: shop.example.com/v1
        kind: Storefront
        metadata: {name: main, namespace: shop}
        spec: {title: "The Shop", currency: EUR}
        """;
}
