namespace Velero.Sdk.Snapshots;

/// <summary>A volume's type and provisioned IOPS, as a <see cref="VolumeSnapshotter"/> reports them.</summary>
/// <param name="VolumeType">The provider's volume type, e.g. <c>gp3</c>.</param>
/// <param name="Iops">Provisioned IOPS, or <c>null</c> when the volume has none.</param>
public sealed record VolumeInfo(string VolumeType, long? Iops);
