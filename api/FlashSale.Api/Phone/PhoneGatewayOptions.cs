using FlashSale.Api.Security;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Phone;

/// <summary>
/// How the phone gateway's callbacks are authenticated (<c>FlashSale:Phone:Gateway</c>): a list
/// of active secrets, as for payment webhooks, so one is rotated without downtime (add the new
/// one, move the gateway to it, remove the old). The first is the one the sandbox signs with.
/// </summary>
public sealed class PhoneGatewayOptions
{
    public const string Section = "FlashSale:Phone:Gateway";
    public const string SecretsSetting = Section + ":Secrets";

    /// <summary>The name its generated Development secret is kept under in <c>secrets.json</c>.</summary>
    public const string DevelopmentSecretName = "phone-gateway";

    public List<string> Secrets { get; set; } = [];

    /// <summary>How far a callback's signed timestamp may be from now, either way.</summary>
    public TimeSpan Tolerance { get; set; } = TimeSpan.FromSeconds(300);

    public IReadOnlyList<string> ActiveSecrets => Secrets.Where(s => !string.IsNullOrEmpty(s)).ToList();
}

/// <summary>At least one secret of 32 or more characters, and a tolerance of 1 to 300 seconds.</summary>
internal sealed class PhoneGatewaySecretsValidation : IValidateOptions<PhoneGatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, PhoneGatewayOptions options)
    {
        var failures = new List<string>();
        if (options.ActiveSecrets.Count == 0)
        {
            failures.Add($"{PhoneGatewayOptions.SecretsSetting} is not configured: give the phone gateway's callback secret (for example the environment variable FlashSale__Phone__Gateway__Secrets__0).");
        }
        else if (options.ActiveSecrets.Any(s => s.Length < WebhookSecretsValidation.MinimumLength))
        {
            failures.Add($"{PhoneGatewayOptions.SecretsSetting} has a secret shorter than {WebhookSecretsValidation.MinimumLength} characters.");
        }

        if (options.Tolerance <= TimeSpan.Zero || options.Tolerance > TimeSpan.FromSeconds(300))
        {
            failures.Add($"{PhoneGatewayOptions.Section}:Tolerance must be more than 0 and at most 300 seconds.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
