using FlashSale.Common;

namespace FlashSale.Api.Accounts;

/// <summary>The accounts API's texts a person reads, in English and Simplified Chinese.</summary>
public static class AccountApiTexts
{
    public static readonly LocalText NotAPhone = new("{0} must be a mobile number with its country code, like +8613800138000.", "{0} 必须是带国家代码的手机号码，例如 +8613800138000。");
    public static readonly LocalText NotACode = new("{0} must be the 6 digits sent by SMS.", "{0} 必须是短信中的 6 位数字。");
    public static readonly LocalText WrongCode = new("The code is wrong or has expired. Ask for a new one.", "验证码错误或已过期，请重新获取。");
    public static readonly LocalText TooManyCodes = new("Too many codes were sent to this number. Try again later.", "发送到此号码的验证码过多，请稍后再试。");
    public static readonly LocalText RefreshRefused = new("The refresh token is not valid. Sign in again.", "刷新令牌无效，请重新登录。");
    public static readonly LocalText AccountSuspended = new("This account is suspended.", "该账户已被停用。");
    public static readonly LocalText AccountsOnly = new("Only an account signed in by phone can do this.", "只有通过手机登录的账户才能执行此操作。");
    public static readonly LocalText NotYourToken = new("The refresh token belongs to another account.", "该刷新令牌属于另一个账户。");
    public static readonly LocalText RoleChoice = new("{0} must be seller or agent.", "{0} 必须是 seller 或 agent。");
    public static readonly LocalText StatusChoice = new("{0} must be pending, approved or rejected.", "{0} 必须是 pending、approved 或 rejected。");
    public static readonly LocalText BackupIsRedisOwn = new(
        "This node keeps its state in the cluster's Redis: back that up with Redis's own tools (its append-only file, or BGSAVE).",
        "此节点的数据保存在集群的 Redis 中：请用 Redis 自己的方式备份（追加日志文件或 BGSAVE）。");
    public static readonly LocalText NothingOnDiskToBackUp = new("This host runs --in-memory: nothing is on disk to back up.", "此主机以 --in-memory 运行：磁盘上没有可备份的数据。");
    public static readonly LocalText BackupUnderWay = new("A backup was started this very moment; try again in a second.", "刚刚已开始一次备份，请一秒后再试。");
    public static readonly LocalText TokenRevoked = new("The token was revoked or its account suspended.", "该令牌已被撤销或其账户已被停用。");
}
