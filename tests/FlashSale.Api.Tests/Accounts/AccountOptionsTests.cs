using FlashSale.Api.Accounts;

namespace FlashSale.Api.Tests.Accounts;

public sealed class AccountOptionsTests
{
    [Fact]
    public void Operators_must_be_mobile_numbers_in_E164_and_are_matched_in_their_normal_form()
    {
        var validation = new AccountOptionsValidation();
        Assert.True(validation.Validate(null, new AccountOptions { Operators = ["+86 139 0000 0000"] }).Succeeded);

        var refused = validation.Validate(null, new AccountOptions { Operators = ["+8613900000000", "13900000000", "+1"] });
        Assert.True(refused.Failed);
        Assert.Contains("13900000000", refused.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("+8613900000000", refused.FailureMessage, StringComparison.Ordinal);

        Assert.True(new AccountOptions { Operators = ["+86 139-0000-0000"] }.IsOperator("+8613900000000"));
        Assert.False(new AccountOptions { Operators = ["+8613900000000"] }.IsOperator("+8613800000000"));
    }
}
