using FlashSale.Accounts;
using FlashSale.Common;
using FlashSale.Tests.Infrastructure;
using static FlashSale.Tests.Infrastructure.Sale;

namespace FlashSale.Tests.Accounts;

/// <summary>Refresh-token families, suspension and roles, on the engine's fake clock.</summary>
[Collection(EngineCluster.Name)]
public sealed class AccountGrainTests(EngineClusterFixture cluster)
{
    private IGrainFactory Grains => cluster.Grains;

    private async Task<IAccountGrain> NewAccount()
    {
        var account = Grains.GetGrain<IAccountGrain>(Ids.New(AccountIds.AccountPrefix));
        await account.Open("+8613800138000");
        return account;
    }

    private static Session Ok(SessionOutcome outcome)
    {
        Assert.Null(outcome.Refusal);
        return outcome.Session!;
    }

    [Fact]
    public async Task Every_account_is_a_shopper_and_opening_it_again_changes_nothing()
    {
        var account = await NewAccount();
        var first = (await account.Get())!;
        Assert.True(Ids.IsWellFormed(first.ShopperId, Ids.ShopperPrefix));
        Assert.Null(first.SellerId);
        Assert.Equal(first, await account.Open("+8613900000001"));
    }

    [Fact]
    public async Task A_rotated_token_used_again_revokes_the_family_and_leaves_other_families_alone()
    {
        var account = await NewAccount();
        var phone = Ok(await account.StartSession());
        var laptop = Ok(await account.StartSession());
        var rotated = Ok(await account.Refresh(phone.RefreshToken));
        Assert.Equal(phone.FamilyId, rotated.FamilyId);

        Assert.Equal(SessionRefusal.Reused, (await account.Refresh(phone.RefreshToken)).Refusal);
        Assert.Equal(SessionRefusal.Invalid, (await account.Refresh(rotated.RefreshToken)).Refusal);
        var standing = await account.GetStanding();
        Assert.False(standing.Admits(phone.FamilyId));
        Assert.True(standing.Admits(laptop.FamilyId));
        Ok(await account.Refresh(laptop.RefreshToken));
    }

    [Fact]
    public async Task Two_concurrent_refreshes_with_one_token_let_at_most_one_through_and_revoke_the_family()
    {
        var account = await NewAccount();
        var session = Ok(await account.StartSession());
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => account.Refresh(session.RefreshToken)));
        Assert.True(answers.Count(a => a.Session is not null) <= 1);
        Assert.Contains(answers, a => a.Refusal == SessionRefusal.Reused);
        Assert.False((await account.GetStanding()).Admits(session.FamilyId));
    }

    [Fact]
    public async Task A_family_idle_for_thirty_days_is_gone()
    {
        var account = await NewAccount();
        var session = Ok(await account.StartSession());
        cluster.Clock.Advance(AccountRules.RefreshIdleLifetime - TimeSpan.FromSeconds(1));
        var kept = Ok(await account.Refresh(session.RefreshToken));
        cluster.Clock.Advance(AccountRules.RefreshIdleLifetime);
        Assert.False((await account.GetStanding()).Admits(kept.FamilyId));
        Assert.Equal(SessionRefusal.Invalid, (await account.Refresh(kept.RefreshToken)).Refusal);
    }

    [Fact]
    public async Task Signing_out_revokes_that_family_only_with_a_token_of_it()
    {
        var account = await NewAccount();
        var session = Ok(await account.StartSession());
        var other = await NewAccount();
        var foreign = Ok(await other.StartSession());
        Assert.False(await account.SignOut(foreign.RefreshToken));
        Assert.True(await account.SignOut(session.RefreshToken));
        Assert.Equal(SessionRefusal.Invalid, (await account.Refresh(session.RefreshToken)).Refusal);
        Assert.True((await other.GetStanding()).Admits(foreign.FamilyId));
    }

    [Fact]
    public async Task Suspension_revokes_every_family_and_refuses_new_sessions()
    {
        var account = await NewAccount();
        var session = Ok(await account.StartSession());
        await account.Suspend();
        var standing = await account.GetStanding();
        Assert.True(standing.Suspended);
        Assert.False(standing.Admits(session.FamilyId));
        Assert.Equal(SessionRefusal.Suspended, (await account.StartSession()).Refusal);
        Assert.NotEqual(SessionRefusal.Reused, (await account.Refresh(session.RefreshToken)).Refusal);
    }

    [Fact]
    public async Task At_most_ten_devices_the_least_recently_used_drops_out()
    {
        var account = await NewAccount();
        var first = Ok(await account.StartSession());
        for (var i = 0; i < AccountRules.MaxFamilies; i++)
        {
            cluster.Clock.Advance(TimeSpan.FromSeconds(1));
            Ok(await account.StartSession());
        }

        var standing = await account.GetStanding();
        Assert.Equal(AccountRules.MaxFamilies, standing.LiveFamilies.Count);
        Assert.False(standing.Admits(first.FamilyId));
    }

    [Fact]
    public async Task A_granted_role_gets_one_id_however_often_it_is_granted()
    {
        var account = await NewAccount();
        var seller = (await account.Grant(ApplicationRole.Seller))!;
        Assert.True(Ids.IsWellFormed(seller.SellerId, Ids.SellerPrefix));
        Assert.Equal(seller, await account.Grant(ApplicationRole.Seller));
        Assert.Null(seller.AgentId);
        Assert.Null(await Grains.GetGrain<IAccountGrain>(Ids.New(AccountIds.AccountPrefix)).Grant(ApplicationRole.Agent));
    }

    [Fact]
    public async Task Applications_are_pending_until_decided_once_and_approval_grants_the_role()
    {
        var applications = Grains.GetGrain<IApplicationsGrain>(0);
        var account = await NewAccount();
        var accountId = account.GetPrimaryKeyString();
        var seller = Value(await applications.Submit(accountId, ApplicationRole.Seller, "Orchard", "Dangshan"));
        var agent = Value(await applications.Submit(accountId, ApplicationRole.Agent, "Point", "Dangshan"));
        Refused(await applications.Submit(accountId, ApplicationRole.Seller, "Again", "Dangshan"), RefusalCode.Conflict);
        Assert.Equal(2, (await applications.ListByAccount(accountId)).Count);

        Assert.Equal(ApplicationStatus.Approved, Value(await applications.Approve(seller.ApplicationId)).Status);
        Assert.NotNull((await account.Get())!.SellerId);
        Refused(await applications.Reject(seller.ApplicationId), RefusalCode.Conflict);
        Refused(await applications.Submit(accountId, ApplicationRole.Seller, "Third", "Dangshan"), RefusalCode.Conflict);

        Assert.Equal(ApplicationStatus.Rejected, Value(await applications.Reject(agent.ApplicationId)).Status);
        Assert.Null((await account.Get())!.AgentId);
        Assert.DoesNotContain(await applications.List(ApplicationStatus.Pending), a => a.AccountId == accountId);
        Refused(await applications.Approve(Ids.New(AccountIds.ApplicationPrefix)), RefusalCode.NotFound);

        // A rejected applicant may apply again.
        Assert.Equal(ApplicationStatus.Pending, Value(await applications.Submit(accountId, ApplicationRole.Agent, "Point", "Dangshan")).Status);
    }
}
