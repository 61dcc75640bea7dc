using FlashSale.Common;

namespace FlashSale.Accounts;

/// <summary>The accounts feature's texts a person reads, in English and Simplified Chinese.</summary>
public static class AccountTexts
{
    public static readonly LocalText TheApplication = new("The application", "该申请");
    public static readonly LocalText TheAccount = new("The account", "该账户");
    public static readonly LocalText AlreadyPending = new("An application for this role is already pending.", "该角色的申请已在审核中。");
    public static readonly LocalText AlreadyHolds = new("The account already has this role.", "该账户已拥有此角色。");
    public static readonly LocalText AlreadyDecided = new("The application was already {0}.", "该申请已被{0}。");
    public static readonly LocalText Approved = new("approved", "批准");
    public static readonly LocalText Rejected = new("rejected", "拒绝");

    /// <summary>The SMS with the code; both languages in one message, since the sender cannot know the reader's.</summary>
    public static readonly LocalText CodeMessage = new(
        "FlashSale code: {0}. It expires in 5 minutes. Do not share it.", "FlashSale 验证码：{0}，5 分钟内有效，请勿告诉他人。",
        "Nambari ya siri ya FlashSale: {0}. Itaisha baada ya dakika 5. Usimpe mtu yeyote.");
}
