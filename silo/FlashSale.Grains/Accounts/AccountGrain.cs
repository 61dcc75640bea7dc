using FlashSale.Common;
using Microsoft.Extensions.DependencyInjection;

namespace FlashSale.Accounts;

/// <summary>
/// One account: its roles and its refresh-token families (one per signed-in device). A family's
/// token rotates on every refresh; the hashes of the tokens it replaced are remembered, so a
/// replaced token that comes back (a copy in a thief's hands, or the victim's after the thief
/// refreshed first) revokes the whole family, and both must sign in again.
/// </summary>
internal sealed class AccountGrain(
    [PersistentState("account", StorageNames.Default)] IPersistentState<AccountState> state,
    [FromKeyedServices(FlashSaleClock.Key)] TimeProvider time) : Grain, IAccountGrain
{
    private string AccountId => this.GetPrimaryKeyString();

    public async Task<Account> Open(string phone)
    {
        if (state.State.Account is { } existing)
        {
            return existing;
        }

        state.State.Account = new Account(AccountId, phone, Ids.New(Ids.ShopperPrefix), null, null, false, time.GetUtcNow());
        await state.WriteStateAsync();
        return state.State.Account;
    }

    public Task<Account?> Get() => Task.FromResult(state.State.Account);

    public async Task<SessionOutcome> StartSession()
    {
        if (state.State.Account is not { } account)
        {
            return SessionOutcome.Refused(SessionRefusal.Invalid);
        }

        if (account.Suspended)
        {
            return SessionOutcome.Refused(SessionRefusal.Suspended);
        }

        var now = time.GetUtcNow();
        var families = state.State.Families;
        DropIdle(now);
        while (families.Count >= AccountRules.MaxFamilies)
        {
            families.Remove(families.MinBy(f => f.Value.LastUsedAt).Key);
        }

        var familyId = Ids.New(AccountIds.FamilyPrefix);
        var token = RefreshTokens.New(AccountId, familyId);
        families[familyId] = new RefreshFamily { CurrentHash = RefreshTokens.Hash(token), LastUsedAt = now };
        await state.WriteStateAsync();
        return SessionOutcome.Ok(new Session(account, familyId, token, now + AccountRules.RefreshIdleLifetime));
    }

    public async Task<SessionOutcome> Refresh(string refreshToken)
    {
        if (state.State.Account is not { } account || RefreshTokens.Parse(refreshToken) is not { } parsed || parsed.AccountId != AccountId)
        {
            return SessionOutcome.Refused(SessionRefusal.Invalid);
        }

        var now = time.GetUtcNow();
        if (DropIdle(now))
        {
            await state.WriteStateAsync();
        }

        if (!state.State.Families.TryGetValue(parsed.FamilyId, out var family))
        {
            return SessionOutcome.Refused(SessionRefusal.Invalid);
        }

        if (account.Suspended)
        {
            return SessionOutcome.Refused(SessionRefusal.Suspended);
        }

        var presented = RefreshTokens.Hash(refreshToken);
        if (string.Equals(presented, family.CurrentHash, StringComparison.Ordinal))
        {
            var next = RefreshTokens.New(AccountId, parsed.FamilyId);
            family.Rotated.Add(family.CurrentHash);
            if (family.Rotated.Count > AccountRules.RememberedRotations)
            {
                family.Rotated.RemoveAt(0);
            }

            family.CurrentHash = RefreshTokens.Hash(next);
            family.LastUsedAt = now;
            await state.WriteStateAsync();
            return SessionOutcome.Ok(new Session(account, parsed.FamilyId, next, now + AccountRules.RefreshIdleLifetime));
        }

        if (family.Rotated.Contains(presented, StringComparer.Ordinal))
        {
            state.State.Families.Remove(parsed.FamilyId);
            await state.WriteStateAsync();
            return SessionOutcome.Refused(SessionRefusal.Reused);
        }

        return SessionOutcome.Refused(SessionRefusal.Invalid);
    }

    public async Task<bool> SignOut(string refreshToken)
    {
        if (RefreshTokens.Parse(refreshToken) is not { } parsed || parsed.AccountId != AccountId
            || !state.State.Families.TryGetValue(parsed.FamilyId, out var family))
        {
            return false;
        }

        // The current token or one it replaced: either proves the caller held this family.
        var presented = RefreshTokens.Hash(refreshToken);
        if (!string.Equals(presented, family.CurrentHash, StringComparison.Ordinal) && !family.Rotated.Contains(presented, StringComparer.Ordinal))
        {
            return false;
        }

        state.State.Families.Remove(parsed.FamilyId);
        await state.WriteStateAsync();
        return true;
    }

    public async Task<Account?> Suspend()
    {
        if (state.State.Account is not { } account)
        {
            return null;
        }

        state.State.Account = account with { Suspended = true };
        state.State.Families.Clear();
        await state.WriteStateAsync();
        return state.State.Account;
    }

    public async Task<Account?> Grant(ApplicationRole role)
    {
        if (state.State.Account is not { } account)
        {
            return null;
        }

        var granted = role switch
        {
            ApplicationRole.Seller => account with { SellerId = account.SellerId ?? Ids.New(Ids.SellerPrefix) },
            _ => account with { AgentId = account.AgentId ?? Ids.New(Ids.AgentPrefix) },
        };
        if (granted != account)
        {
            state.State.Account = granted;
            await state.WriteStateAsync();
        }

        return granted;
    }

    public Task<AccountStanding> GetStanding()
    {
        var now = time.GetUtcNow();
        return Task.FromResult(state.State.Account is { } account
            ? new AccountStanding(true, account.Suspended, state.State.Families.Where(f => !IsIdle(f.Value, now)).Select(f => f.Key).ToList())
            : new AccountStanding(false, false, []));
    }

    private bool DropIdle(DateTimeOffset now)
    {
        var idle = state.State.Families.Where(f => IsIdle(f.Value, now)).Select(f => f.Key).ToList();
        foreach (var familyId in idle)
        {
            state.State.Families.Remove(familyId);
        }

        return idle.Count > 0;
    }

    private static bool IsIdle(RefreshFamily family, DateTimeOffset now) => now >= family.LastUsedAt + AccountRules.RefreshIdleLifetime;
}

[GenerateSerializer]
public sealed class AccountState
{
    [Id(0)]
    public Account? Account { get; set; }

    /// <summary>Refresh-token families by id; a revoked family is removed, so its tokens are unknown.</summary>
    [Id(1)]
    public Dictionary<string, RefreshFamily> Families { get; set; } = new(StringComparer.Ordinal);
}

[GenerateSerializer]
public sealed class RefreshFamily
{
    /// <summary>SHA-256 of the one token that refreshes now.</summary>
    [Id(0)]
    public string CurrentHash { get; set; } = "";

    /// <summary>SHA-256 of the tokens it replaced, oldest first (the last <see cref="AccountRules.RememberedRotations"/>).</summary>
    [Id(1)]
    public List<string> Rotated { get; set; } = [];

    [Id(2)]
    public DateTimeOffset LastUsedAt { get; set; }
}
