using FlashSale.LoadTests.Cli;
using Spectre.Console.Cli;

namespace FlashSale.LoadTests;

/// <summary>
/// FlashSale's load-test harness: <c>dotnet run -c Release --project loadtests/FlashSale.LoadTests -- &lt;scenario&gt; [options]</c>.
/// Every run is bounded in time and count, aims at 127.0.0.1 unless told otherwise, and ends with
/// a correctness audit of the state it produced.
/// </summary>
public static class LoadTestProgram
{
    public static Task<int> Main(string[] args) => CreateApp().RunAsync(args);

    public static CommandApp CreateApp()
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("flashsale-loadtests");
            config.AddCommand<OpeningSurgeCommand>("opening-surge").WithExample("opening-surge", "--shoppers", "20000", "--quantity", "1000");
            config.AddCommand<UssdCommand>("ussd").WithExample("ussd", "--handsets", "5000", "--quantity", "500", "--arrival", "5");
            config.AddCommand<HotLotCommand>("hot-lot").WithExample("hot-lot", "--start-rate", "1000", "--rate-step", "1000").WithExample("hot-lot", "--mode", "closed", "--concurrency", "64");
            config.AddCommand<MarketplaceCommand>("marketplace").WithExample("marketplace", "--lots", "50", "--rate", "300");
            config.AddCommand<WatchersCommand>("watchers").WithExample("watchers", "--watchers", "1000", "--rate", "500");
            config.AddCommand<BaselinesCommand>("baselines").WithExample("baselines", "--redis-lua", "http://127.0.0.1:5090");
            config.AddCommand<RenderCommand>("render").WithExample("render", "loadtest-reports/run/hot-lot.json");
            config.AddCommand<CompareCommand>("compare").WithExample("compare", "before/hot-lot.json", "after/hot-lot.json");
        });
        return app;
    }
}
