namespace FlashSale.Api.Identity;

public sealed class TokenOptions
{
    public const string Section = "FlashSale:Identity";

    public const string SigningKeysSetting = Section + ":SigningKeys";

    /// <summary>HMAC-SHA256 needs a key of at least 256 bits; a shorter one is refused at start.</summary>
    public const int MinimumKeyLength = 32;

    public string Issuer { get; set; } = "flashsale";

    /// <summary>
    /// The keys that sign and verify bearer tokens. The first signs; every listed key verifies
    /// the tokens that name it (<c>kid</c>), so a rotation adds the new key first and removes the
    /// old one once its tokens have expired. Every API node of one installation shares them, and
    /// no two installations do: they come from configuration, never from the repository (in
    /// Development they are generated, see <see cref="Security.InstallationSecrets"/>).
    /// </summary>
    public List<SigningKey> SigningKeys { get; set; } = [];

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>One signing key: <see cref="Id"/> is the token's <c>kid</c>, <see cref="Key"/> the HMAC secret (32+ characters).</summary>
public sealed class SigningKey
{
    public string Id { get; set; } = "";

    public string Key { get; set; } = "";
}
