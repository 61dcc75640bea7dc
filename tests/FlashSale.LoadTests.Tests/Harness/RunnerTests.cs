using FlashSale.LoadTests.Harness;
using FlashSale.LoadTests.Sale;
using FlashSale.LoadTests.Scenarios;

namespace FlashSale.LoadTests.Tests.Harness;

/// <summary>The runner without a server: bounds, stages, the open model's schedule, outcome counting.</summary>
public sealed class RunnerTests
{
    [Fact]
    public async Task A_closed_run_stops_at_its_iteration_bound_long_before_its_duration()
    {
        var scenario = new ScenarioDefinition
        {
            Name = "bounded",
            Simulations = [new LoadSimulation.KeepConstant(4, TimeSpan.FromMinutes(5))],
            MaxIterations = 500,
            Iteration = async ctx =>
            {
                await ctx.Step("work", _ => Task.FromResult(StepOutcome.Ok()));
                await Task.Yield();
            },
        };

        var result = await ScenarioRunner.RunAsync(scenario, SilentProgress.Instance);

        Assert.Equal(500, result.Iterations);
        Assert.Equal(500, result.Steps.Single().Count);
        Assert.Contains("500 iterations", result.StoppedBecause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_open_phase_starts_exactly_its_arrivals_and_counts_outcomes_by_kind()
    {
        var scenario = new ScenarioDefinition
        {
            Name = "open",
            Simulations = [new LoadSimulation.Inject(1000, TimeSpan.FromMilliseconds(100))],
            Iteration = ctx => ctx.Step("hold", _ => Task.FromResult(ctx.Index % 4 == 0
                ? StepOutcome.Fail("http-500")
                : ctx.Index % 2 == 0 ? new StepOutcome(OutcomeKind.Expected, "sold-out", 409) : StepOutcome.Ok())),
        };

        var result = await ScenarioRunner.RunAsync(scenario, SilentProgress.Instance);

        var hold = result.Steps.Single();
        Assert.Equal((100, 50, 25, 25), (hold.Count, hold.Ok, hold.Expected, hold.Failed));
        Assert.Equal([("ok", 50L), ("sold-out", 25L), ("http-500", 25L)], hold.Outcomes.Select(o => (o.Label, o.Count)));
    }

    [Fact]
    public async Task A_scenario_can_stop_its_chain_after_a_stage()
    {
        var scenario = new ScenarioDefinition
        {
            Name = "ramp",
            Simulations =
            [
                new LoadSimulation.Inject(200, TimeSpan.FromMilliseconds(100)),
                new LoadSimulation.Inject(400, TimeSpan.FromMilliseconds(100)),
                new LoadSimulation.Inject(800, TimeSpan.FromMilliseconds(100)),
            ],
            ContinueAfterStage = stage => stage.OfferedRate < 400,
            Iteration = ctx => ctx.Step("hold", _ => Task.FromResult(StepOutcome.Ok())),
        };

        var result = await ScenarioRunner.RunAsync(scenario, SilentProgress.Instance);

        Assert.Equal([200.0, 400.0], result.Stages.Select(s => s.OfferedRate!.Value));
        Assert.Equal(20 + 40, result.Iterations);
        Assert.Contains("phase 2", result.StoppedBecause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Warm_up_iterations_are_not_in_the_measured_figures()
    {
        var scenario = new ScenarioDefinition
        {
            Name = "warm",
            WarmUp = TimeSpan.FromMilliseconds(100),
            Simulations = [new LoadSimulation.Inject(500, TimeSpan.FromMilliseconds(100))],
            Iteration = ctx => ctx.Step("hold", _ => Task.FromResult(StepOutcome.Ok())),
        };

        var result = await ScenarioRunner.RunAsync(scenario, SilentProgress.Instance);

        Assert.Equal(100, result.Iterations);
        Assert.Equal(50, result.Steps.Single().Count);
    }

    [Fact]
    public async Task Measuring_begins_is_called_once_before_the_first_measured_iteration()
    {
        var calls = 0;
        var measuredBeforeItBegan = 0;
        var scenario = new ScenarioDefinition
        {
            Name = "warm",
            WarmUp = TimeSpan.FromMilliseconds(100),
            Simulations =
            [
                new LoadSimulation.Inject(500, TimeSpan.FromMilliseconds(100)),
                new LoadSimulation.Inject(500, TimeSpan.FromMilliseconds(100)),
            ],
            MeasuringBegins = () => Interlocked.Increment(ref calls),
            Iteration = ctx =>
            {
                // The warm-up's 50 arrivals are iterations 1 to 50; every later one is measured.
                if (ctx.Index > 50 && Volatile.Read(ref calls) == 0)
                {
                    Interlocked.Increment(ref measuredBeforeItBegan);
                }

                return ctx.Step("hold", _ => Task.FromResult(StepOutcome.Ok()));
            },
        };

        var result = await ScenarioRunner.RunAsync(scenario, SilentProgress.Instance);

        Assert.Equal(1, calls); // not again at the second measured phase
        Assert.Equal(0, measuredBeforeItBegan);
        Assert.Equal(150, result.Iterations);
        Assert.Equal(100, result.Steps.Single().Count);
    }

    [Theory]
    [InlineData(100, 100, 10)]
    [InlineData(0, 1000, 5)]
    [InlineData(500, 2000, 2)]
    [InlineData(2000, 500, 3)]
    public void The_open_schedule_inverts_its_arrival_count(double from, double to, double seconds)
    {
        var total = (long)Math.Floor(OpenSchedule.Arrivals(seconds, seconds, from, to));

        Assert.Equal((from + to) / 2 * seconds, total, 0);
        for (long k = 1; k <= total; k += Math.Max(1, total / 50))
        {
            var t = OpenSchedule.ArrivalTime(k, seconds, from, to);
            Assert.InRange(t, 0, seconds + 1e-9);
            Assert.Equal(k, OpenSchedule.Arrivals(t, seconds, from, to), 6);
        }
    }

    [Fact]
    public void The_knee_is_the_fastest_stage_that_kept_up_within_its_latency_bound()
    {
        var options = new HotLotOptions { KneeP99 = TimeSpan.FromMilliseconds(100), BreakP99 = TimeSpan.FromMilliseconds(500) };
        StageReport Stage(int index, double offered, double done, double p99) =>
            new(index, "stage", offered, null, 5, [new StageStep(HotLot.HoldStep, (long)(done * 5), 0, done, p99 / 3, p99, p99 * 2)]);
        var stages = new[] { Stage(0, 1000, 1000, 20), Stage(1, 2000, 1990, 60), Stage(2, 3000, 2700, 90), Stage(3, 4000, 3000, 800) };

        Assert.Equal(2000, HotLot.Knee(stages, options)!.OfferedRate); // 3000 fell below 95% of its rate
        Assert.False(HotLot.Broke(stages[1], options));
        Assert.True(HotLot.Broke(stages[3], options));
        Assert.True(HotLot.Broke(Stage(4, 5000, 3500, 50), options)); // under 80% of the offered rate
        Assert.Null(HotLot.Knee([stages[3]], options));
    }

    [Theory]
    [InlineData("""{"type":"urn:flashsale:problem:sold-out","title":"Sold out.","status":409}""", "sold-out")]
    [InlineData("""{"title":"x","type":"https://example.test/problems/limit-exceeded"}""", "limit-exceeded")]
    [InlineData("""{"errors":{"type":["nested"]},"status":400}""", null)]
    [InlineData("not json", null)]
    [InlineData("", null)]
    public void A_problem_code_is_the_end_of_its_type(string body, string? code)
    {
        Assert.Equal(code, SaleClient.ProblemCode(System.Text.Encoding.UTF8.GetBytes(body)));
    }
}
