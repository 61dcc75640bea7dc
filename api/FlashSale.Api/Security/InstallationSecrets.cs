using FlashSale.Api.Identity;
using FlashSale.Cluster.Embedded;
using FlashSale.Payments;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Security;

/// <summary>
/// The installation's secrets: the keys that sign bearer tokens, the secrets that sign gateway
/// webhooks and the phone gateway's callback secret. None is in the repository and none is shared between installations. Outside
/// Development they must be configured, and the host refuses to start (naming the missing
/// setting in one line) when one is not. In Development a missing one is generated on first use
/// and kept in <c>&lt;data path&gt;/secrets.json</c> (or, with <c>FlashSale:Data:InMemory</c>, for
/// the life of the process), so <c>dotnet run</c> works on a fresh clone and no two clones share a key.
/// </summary>
public static class InstallationSecrets
{
    public static WebApplicationBuilder AddInstallationSecrets(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DataFolderOptions>().Bind(builder.Configuration.GetSection(DataFolderOptions.Section));
        if (builder.Environment.IsDevelopment())
        {
            services.AddSingleton<DevelopmentSecretStore>();
            services.AddOptions<TokenOptions>().PostConfigure<DevelopmentSecretStore>((options, store) =>
            {
                if (options.SigningKeys.Count == 0)
                {
                    options.SigningKeys.Add(store.SigningKey());
                }
            });
            // The providers are resolved when the options are made, not injected: they take the
            // options themselves, and the container would see a cycle.
            services.AddOptions<WebhookOptions>().PostConfigure<DevelopmentSecretStore, IServiceProvider>((options, store, provider) =>
            {
                foreach (var method in WebhookMethods(provider).Where(m => options.SecretsFor(m).Count == 0))
                {
                    options.Secrets[method] = [store.WebhookSecret(method)];
                }
            });
            // The phone gateway's callback secret is kept like a webhook secret, under its own name.
            services.AddOptions<Phone.PhoneGatewayOptions>().PostConfigure<DevelopmentSecretStore>((options, store) =>
            {
                if (options.ActiveSecrets.Count == 0)
                {
                    options.Secrets = [store.WebhookSecret(Phone.PhoneGatewayOptions.DevelopmentSecretName)];
                }
            });
        }

        services.AddSingleton<IValidateOptions<TokenOptions>, SigningKeysValidation>();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookSecretsValidation>();
        services.AddOptions<TokenOptions>().ValidateOnStart();
        services.AddOptions<WebhookOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<Phone.PhoneGatewayOptions>, Phone.PhoneGatewaySecretsValidation>();
        services.AddOptions<Phone.PhoneGatewayOptions>().Bind(builder.Configuration.GetSection(Phone.PhoneGatewayOptions.Section)).ValidateOnStart();
        return builder;
    }

    /// <summary>The methods whose gateway signs webhooks: each needs a secret.</summary>
    public static IEnumerable<string> WebhookMethods(IServiceProvider services) =>
        services.GetServices<IPaymentProvider>().Where(p => p.AcceptsWebhooks).Select(p => p.Method).Distinct(StringComparer.Ordinal);
}

/// <summary>At least one signing key; every key with an id of its own and 32 or more characters.</summary>
internal sealed class SigningKeysValidation : IValidateOptions<TokenOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenOptions options)
    {
        if (options.SigningKeys.Count == 0)
        {
            return ValidateOptionsResult.Fail(
                $"{TokenOptions.SigningKeysSetting} is not configured: give at least one {{ Id, Key }} with a Key of {TokenOptions.MinimumKeyLength} or more random characters " +
                "(for example the environment variables FlashSale__Identity__SigningKeys__0__Id and FlashSale__Identity__SigningKeys__0__Key).");
        }

        var failures = new List<string>();
        for (var i = 0; i < options.SigningKeys.Count; i++)
        {
            var key = options.SigningKeys[i];
            if (string.IsNullOrWhiteSpace(key.Id))
            {
                failures.Add($"{TokenOptions.SigningKeysSetting}:{i}:Id is empty: every key needs an id (the tokens' kid).");
            }
            else if (options.SigningKeys.Take(i).Any(k => k.Id == key.Id))
            {
                failures.Add($"{TokenOptions.SigningKeysSetting}:{i}:Id \"{key.Id}\" is used by another key.");
            }

            if (key.Key.Length < TokenOptions.MinimumKeyLength)
            {
                failures.Add($"{TokenOptions.SigningKeysSetting}:{i}:Key is shorter than {TokenOptions.MinimumKeyLength} characters.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Every method whose gateway sends webhooks has at least one secret of 32 or more characters.</summary>
internal sealed class WebhookSecretsValidation(IServiceProvider services) : IValidateOptions<WebhookOptions>
{
    public const int MinimumLength = 32;

    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var failures = new List<string>();
        foreach (var method in InstallationSecrets.WebhookMethods(services))
        {
            var setting = $"{WebhookOptions.Section}:Secrets:{method}";
            var secrets = options.SecretsFor(method);
            if (secrets.Count == 0)
            {
                failures.Add($"{setting} is not configured: give the {method} gateway's webhook secret (for example the environment variable {setting.Replace(":", "__", StringComparison.Ordinal)}__0).");
            }
            else if (secrets.Any(s => s.Length < MinimumLength))
            {
                failures.Add($"{setting} has a secret shorter than {MinimumLength} characters.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
