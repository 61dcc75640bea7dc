using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FlashSale.Common;
using FlashSale.Phone;
using Microsoft.Extensions.DependencyInjection;

namespace FlashSale.Accounts;

/// <summary>
/// One phone number's account and codes. Not reentrant: a code's tries and the hourly count are
/// judged one call at a time. Codes are stored as a salted PBKDF2 hash, so a copy of storage shows
/// no live code; with a million possible codes that only slows an offline guess, and what really
/// bounds guessing is the code's short life and its five tries.
/// </summary>
internal sealed class PhoneNumberGrain(
    [PersistentState("phone", StorageNames.Default)] IPersistentState<PhoneNumberState> state,
    [FromKeyedServices(FlashSaleClock.Key)] TimeProvider time,
    ISmsGateway sms) : Grain, IPhoneNumberGrain
{
    private const int HashIterations = 10_000;

    private string Phone => this.GetPrimaryKeyString();

    public async Task<CodeRequest> RequestCode()
    {
        var now = time.GetUtcNow();
        var s = state.State;
        s.SentAt.RemoveAll(at => at <= now - AccountRules.CodeWindow);
        if (s.SentAt.Count >= AccountRules.MaxCodesPerWindow)
        {
            return new CodeRequest(null, s.SentAt.Min() + AccountRules.CodeWindow);
        }

        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        s.CodeSalt = RandomNumberGenerator.GetBytes(16);
        s.CodeHash = HashOf(code, s.CodeSalt);
        s.CodeExpiresAt = now + AccountRules.CodeLifetime;
        s.WrongTries = 0;
        s.SentAt.Add(now);

        // Written before it is sent: a code that reached a phone is always one the engine knows.
        await state.WriteStateAsync();
        // In both of the number's languages, its market's first (Swahili and English for Kenya,
        // Chinese and English for China, English and Chinese elsewhere): the code comes before any
        // menu choice could have said which the reader prefers.
        var text = AccountTexts.CodeMessage.Format(code);
        var (first, second) = PhoneChannel.LanguagesOf(Phone);
        await sms.SendAsync(Phone, $"{text.In(first)} / {text.In(second)}");
        return new CodeRequest(s.CodeExpiresAt, null);
    }

    public async Task<string?> VerifyCode(string code)
    {
        var s = state.State;
        if (s.CodeHash is null || s.CodeSalt is null || time.GetUtcNow() >= s.CodeExpiresAt)
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(HashOf(code, s.CodeSalt), s.CodeHash))
        {
            s.WrongTries++;
            if (s.WrongTries >= AccountRules.MaxWrongTries)
            {
                s.CodeHash = null;
                s.CodeSalt = null;
            }

            await state.WriteStateAsync();
            return null;
        }

        s.CodeHash = null; // spent: a code signs in once
        s.CodeSalt = null;
        s.AccountId ??= Ids.New(AccountIds.AccountPrefix);
        await state.WriteStateAsync();

        // After the number is bound to its id: a crash here leaves an id whose account the next
        // sign-in opens, never two accounts for one number.
        await GrainFactory.GetGrain<IAccountGrain>(s.AccountId).Open(Phone);
        return s.AccountId;
    }

    public Task<string?> AccountId() => Task.FromResult(state.State.AccountId);

    public async Task<Account> BindAccount()
    {
        if (state.State.AccountId is null)
        {
            state.State.AccountId = Ids.New(AccountIds.AccountPrefix);
            await state.WriteStateAsync();
        }

        // Open is idempotent: a crash after the write above is finished by the next call, and a
        // number bound by a web sign-in first opens nothing new.
        return await GrainFactory.GetGrain<IAccountGrain>(state.State.AccountId).Open(Phone);
    }

    public async Task<Account?> BoundAccount() =>
        state.State.AccountId is { } accountId ? await GrainFactory.GetGrain<IAccountGrain>(accountId).Get() : null;

    private static byte[] HashOf(string code, byte[] salt) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(code), salt, HashIterations, HashAlgorithmName.SHA256, 32);
}

[GenerateSerializer]
public sealed class PhoneNumberState
{
    [Id(0)]
    public string? AccountId { get; set; }

    [Id(1)]
    public byte[]? CodeHash { get; set; }

    [Id(2)]
    public byte[]? CodeSalt { get; set; }

    [Id(3)]
    public DateTimeOffset CodeExpiresAt { get; set; }

    [Id(4)]
    public int WrongTries { get; set; }

    /// <summary>When each code of the last hour was sent.</summary>
    [Id(5)]
    public List<DateTimeOffset> SentAt { get; set; } = [];
}
