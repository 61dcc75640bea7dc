namespace FlashSale.Api.Identity;

public sealed class TokenOptions
{
    public const string Section = "FlashSale:Identity";

    public string Issuer { get; set; } = "flashsale";

    /// <summary>
    /// The HMAC key that signs bearer tokens. Every API node of one deployment shares it, so a
    /// token issued by one node is accepted by all. At least 32 bytes.
    /// </summary>
    public string SigningKey { get; set; } = "";

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(7);
}
