using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using FlashSale.Cluster.Embedded;
using FlashSale.Cluster.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FlashSale.Cluster.Tests;

/// <summary>
/// An operator backs up the run command's host while a surge writes to it, and a fresh process
/// starts on the backup (<c>--data</c>) beside the running one. What was settled before the backup
/// is there exactly as it was acknowledged; what the surge was writing keeps every lot's invariant
/// and every order acknowledged before the backup began; and the installation's secrets came along,
/// so the tokens the first host issued are valid on the restored one.
/// </summary>
public sealed partial class EmbeddedBackupTests(ITestOutputHelper output) : IDisposable
{
    private const string OperatorPhone = "+8613900000077";
    private const int MaxPerShopper = 3;
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "flashsale-backup-" + Guid.NewGuid().ToString("N"));
    private bool _passed;

    public void Dispose()
    {
        if (_passed && Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task A_backup_taken_during_a_surge_restores_into_a_fresh_process()
    {
        output.WriteLine($"data, backups and restore under {_root}, kept if the test fails");
        var api = NodeProcess.Locate("api/FlashSale.Api", "FlashSale.Api");
        var (http, restoredHttp) = (LoopbackPorts.Unused(), LoopbackPorts.Unused());
        await using var host = new NodeProcess("backed-up", api.Assembly, api.ProjectDirectory,
        [
            "--data", Path.Combine(_root, "data"), $"--FlashSale:Data:BackupPath={Path.Combine(_root, "backups")}",
            $"--FlashSale:Identity:Operators:0={OperatorPhone}", $"--urls=http://127.0.0.1:{http.ToString(CultureInfo.InvariantCulture)}", "--no-demo",
        ], http, sharedSecrets: false);
        host.Start();
        await host.WaitHealthy(StartBound);
        using var client = new SaleClient(host.BaseAddress);
        var operatorToken = await SignInByPhone(client, OperatorPhone);
        var (_, sellerToken) = await client.SignUp("seller", "Orchard co-op");
        var settledLots = await CreateLots(client, sellerToken, "Settled pears", 2);
        var busyLots = await CreateLots(client, sellerToken, "Busy peaches", 2);
        var settled = await Shoppers(client, "Settled", 10);
        var busy = await Shoppers(client, "Busy", 10);

        // The settled shoppers shop, and stop; then the busy ones shop on other lots while the backup is taken.
        var settledFor = Stopwatch.StartNew();
        await Task.WhenAll(settled.Select(s => Surge.Shop(client, s, settledLots, () => settledFor.Elapsed < TimeSpan.FromSeconds(1.5))));
        var settledState = await Surge.Verify(client, settledLots, settled);
        var busyFor = Stopwatch.StartNew();
        var surge = Task.WhenAll(busy.Select(s => Surge.Shop(client, s, busyLots, () => busyFor.Elapsed < TimeSpan.FromSeconds(4))));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var ordersBeforeBackup = busy.SelectMany(s => s.Orders.Keys.ToList().Select(orderId => (s.Token, orderId))).ToList();
        var backup = await client.Send(HttpMethod.Post, "/api/operator/backups", operatorToken);
        await surge;
        Assert.True(backup.Status == HttpStatusCode.Created, $"backup answered {backup.Status}: {backup.Body}");
        var backupPath = backup.Body!["path"]!.GetValue<string>();
        output.WriteLine($"backup {backupPath}: {backup.Body["bytes"]} bytes in {backup.Body["files"]} files, taken at {backup.Body["takenAt"]}; {ordersBeforeBackup.Count} busy orders acknowledged before it");
        Assert.False(File.Exists(Path.Combine(backupPath, DataFolderLock.FileName)));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(backupPath, "secrets.json")));
        }

        await using var restored = new NodeProcess("restored", api.Assembly, api.ProjectDirectory,
            ["--data", backupPath, $"--urls=http://127.0.0.1:{restoredHttp.ToString(CultureInfo.InvariantCulture)}", "--no-demo"], restoredHttp, sharedSecrets: false);
        restored.Start();
        await restored.WaitHealthy(StartBound);
        using var fromBackup = new SaleClient(restored.BaseAddress);

        Assert.Equal(settledState, await Surge.Verify(fromBackup, settledLots, settled));
        foreach (var lotId in busyLots)
        {
            var lot = await fromBackup.GetJson($"/api/lots/{lotId}");
            var (quantity, available, reserved, sold) = (Int(lot, "quantity"), Int(lot, "available"), Int(lot, "reserved"), Int(lot, "sold"));
            Assert.True(available >= 0 && reserved >= 0 && sold >= 0 && available + reserved + sold == quantity, $"restored lot {lotId} broke its invariant: {lot}");
        }

        foreach (var (token, orderId) in ordersBeforeBackup)
        {
            var order = await fromBackup.Send(HttpMethod.Get, $"/api/orders/{orderId}", token);
            Assert.True(order.Status == HttpStatusCode.OK, $"order {orderId}, acknowledged before the backup began, answers {order.Status} on the restored host");
        }

        var stats = await fromBackup.Send(HttpMethod.Get, $"/api/lots/{settledLots[0]}/stats", sellerToken);
        Assert.Equal(HttpStatusCode.OK, stats.Status); // the first host's token, verified with the keys the backup carried
        _passed = true;
    }

    private static async Task<string> SignInByPhone(SaleClient client, string phone)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await client.Send(HttpMethod.Post, "/api/auth/codes", null, new { phone })).Status);
        var sent = await client.GetJson($"/api/sandbox/sms?phone={Uri.EscapeDataString(phone)}");
        var code = SixDigits().Match(sent.AsArray()[^1]!["text"]!.GetValue<string>()).Value;
        var signedIn = await client.Send(HttpMethod.Post, "/api/auth/tokens", null, new { phone, code });
        Assert.True(signedIn.Status == HttpStatusCode.OK, $"sign-in answered {signedIn.Status}: {signedIn.Body}");
        return signedIn.Body!["accessToken"]!.GetValue<string>();
    }

    private static async Task<List<string>> CreateLots(SaleClient client, string sellerToken, string name, int count)
    {
        var lots = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var created = await client.Send(HttpMethod.Post, "/api/lots", sellerToken,
                new { name = $"{name} {i}", unit = "box", priceMinor = 500, currency = "CNY", quantity = 300, perShopperLimit = MaxPerShopper });
            Assert.Equal(Outcome.Done, created.Outcome);
            lots.Add(created.Body!["lotId"]!.GetValue<string>());
        }

        return lots;
    }

    private static async Task<List<ShopperLedger>> Shoppers(SaleClient client, string name, int count)
    {
        var shoppers = new List<ShopperLedger>();
        for (var i = 0; i < count; i++)
        {
            var (id, token) = await client.SignUp("shopper", $"{name} shopper {i}");
            shoppers.Add(new ShopperLedger(id, token, Random.Shared.Next(), MaxPerShopper));
        }

        return shoppers;
    }

    private static int Int(System.Text.Json.Nodes.JsonNode node, string name) => node[name]!.GetValue<int>();

    [GeneratedRegex("[0-9]{6}")]
    private static partial Regex SixDigits();
}
