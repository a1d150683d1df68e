/// <summary>
/// A small real application: a web app with a volume claim, config, a secret, a service, a CRD and one of its resources.
/// The manifest is samples/seed/shop.yaml (the one the F# and PowerShell samples use), built into the program.
/// </summary>
internal static class ShopApp
{
    public static string Manifest { get; } = Read();

    private static string Read()
    {
        using var stream = typeof(ShopApp).Assembly.GetManifestResourceStream("shop.yaml")
            ?? throw new InvalidOperationException("the shop manifest (samples/seed/shop.yaml) is not embedded in the program");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
