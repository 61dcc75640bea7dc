namespace FlashSale.Api.Security;

/// <summary>
/// Where this installation keeps its files (<c>FlashSale:Data</c>; <c>--data</c> and
/// <c>--in-memory</c> on the command line). The secrets generated in Development live here.
/// </summary>
public sealed class DataFolderOptions
{
    public const string Section = "FlashSale:Data";

    /// <summary>The folder; a relative path is under the working directory.</summary>
    public string Path { get; set; } = ".flashsale/data";

    /// <summary>Keep nothing on disk: generated secrets last as long as the process.</summary>
    public bool InMemory { get; set; }
}
