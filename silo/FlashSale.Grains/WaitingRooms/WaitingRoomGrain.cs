using System.Security.Cryptography;
using FlashSale.Common;
using FlashSale.Live;
using FlashSale.Lots;
using FlashSale.Phone;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace FlashSale.WaitingRooms;

/// <summary>
/// One lot's waiting room. Reentrant with group-committed writes, like the lot: thousands of
/// shoppers join in the opening second, each decision is made in one turn (no await between
/// reading the queue and extending it), and a caller hears back only after the write that holds
/// its ticket. Admission times are fixed when a position is given, so admission itself needs no
/// timer: a shopper is admitted from <c>AdmitsAt</c> for the lot's admission window. One timer on
/// the engine clock (<see cref="Advance"/>) only draws at the opening and tells watchers, at most
/// once a second, how far admission has got, so a waiting phone sees its turn come without asking.
/// The same pass texts each ticket taken through the phone channel whose turn has come
/// (<see cref="TextAdmittedPhones"/>), without waiting for the text: joins and admission checks
/// never wait on an SMS gateway.
/// </summary>
[Reentrant]
internal sealed class WaitingRoomGrain : Grain, IWaitingRoomGrain, IRemindable
{
    private readonly IPersistentState<WaitingRoomState> _state;
    private readonly TimeProvider _time;
    private readonly GroupCommit<bool> _commit;
    private readonly Dictionary<string, int> _positionOf = new(StringComparer.Ordinal);
    private readonly PublishPacer _pacer;
    private readonly TimeProvider _wallClock;
    private LotTerms? _terms;
    private IGrainTimer? _publishTimer;

    /// <summary>
    /// How many positions the admission texts have been handed over for. In memory only: after a
    /// restart the pass walks the admitted positions again and finds only the numbers it has not
    /// handed over (the room keeps a phone's number until then).
    /// </summary>
    private int _textedThrough;
    private EngineClockAlarm? _advanceAlarm;
    private readonly RecoveryReminder _wake;

    public WaitingRoomGrain(
        [PersistentState("room", StorageNames.Default)] IPersistentState<WaitingRoomState> state,
        [FromKeyedServices(FlashSaleClock.Key)] TimeProvider time,
        TimeProvider wallClock,
        IOptions<LiveStockOptions> live,
        IOptions<WakeOptions> wake,
        ILogger<WaitingRoomGrain> logger)
    {
        _wake = new RecoveryReminder(this, WakeOptions.ReminderName, wake.Value.Period, logger);
        _state = state;
        _time = time;
        _wallClock = wallClock;
        _pacer = new PublishPacer(live.Value.PublishInterval);
        _commit = new GroupCommit<bool>(_ => WriteAsync());
    }

    private string LotId => this.GetPrimaryKeyString();

    private WaitingRoomState Room => _state.State;

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        WaitingRoomGauge.Forget(LotId);
        _advanceAlarm?.Dispose();
        return Task.CompletedTask;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _terms = await GrainFactory.GetGrain<IProduceLotGrain>(LotId).GetTerms();
        for (var i = 0; i < Room.Queue.Count; i++)
        {
            _positionOf[Room.Queue[i].ShopperId] = i + 1;
        }

        if (ScheduleAdvance(_time.GetUtcNow()) is { } next)
        {
            await _wake.Set(next - _time.GetUtcNow());
        }
    }

    public async Task LotTermsChanged()
    {
        // Read here, not handed over by the lot: the lot is not waiting on this call, so the read cannot deadlock.
        _terms = await GrainFactory.GetGrain<IProduceLotGrain>(LotId).GetTerms();
        var now = _time.GetUtcNow();
        if (ScheduleAdvance(now) is { } next)
        {
            await _wake.Set(next - now);
        }
    }

    /// <summary>The wake reminder rang: the activation caught up; with nothing left to advance, the reminder goes.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != WakeOptions.ReminderName)
        {
            return;
        }

        _wake.MayBeSet();
        await Advance();
        if (ScheduleAdvance(_time.GetUtcNow()) is null)
        {
            await _wake.Forget();
        }
    }

    /// <summary>Writes the room; first, while it has a draw or admissions ahead, its wake reminder, so a restart does not stall them.</summary>
    private async Task WriteAsync()
    {
        if (NextAdvance(_time.GetUtcNow()) is { } next)
        {
            await _wake.Set(next - _time.GetUtcNow());
        }

        await _state.WriteStateAsync();
    }

    public async Task Advance()
    {
        if (_terms?.WaitingRoom is not { } policy)
        {
            return;
        }

        var now = _time.GetUtcNow();
        _advanceAlarm?.Rang();
        var drawn = DrawIfDue(now, policy);
        var texted = TextAdmittedPhones(now, policy);
        Publish(now, policy);
        ScheduleAdvance(now);
        if (drawn || texted)
        {
            await _commit.Enqueue(true);
        }
    }

    /// <summary>
    /// Asks for the admission text of every phone ticket admitted since the last pass, in one turn
    /// and without awaiting it (each text is its own grain's work, kept once there). The phone
    /// numbers are dropped from the room as they are handed over; a write of the room follows, and
    /// if the room is lost before that write, the next pass asks again and the text's grain
    /// answers "sent before". A ticket whose window closed before any pass saw it (a room that was
    /// down throughout) is not texted: the text would send the shopper to a turn that is over.
    /// True when the room changed.
    /// </summary>
    private bool TextAdmittedPhones(DateTimeOffset now, WaitingRoomPolicy policy)
    {
        var admitted = AdmittedCount(now);
        if (admitted <= _textedThrough)
        {
            return false;
        }

        var changed = false;
        var window = TimeSpan.FromSeconds(policy.AdmissionWindowSeconds);
        for (var i = _textedThrough; i < admitted && Room.PhoneRecipients.Count > 0; i++)
        {
            var entry = Room.Queue[i];

            // A superseded place lapsed long ago; the shopper's number belongs to the newer place.
            if (entry.Superseded || !Room.PhoneRecipients.Remove(entry.ShopperId, out var recipient))
            {
                continue;
            }

            changed = true;
            var until = entry.AdmitsAt + window;
            if (now < until)
            {
                GrainFactory.GetGrain<IAdmissionSmsGrain>(PhoneChannel.AdmissionSmsKey(LotId, i + 1)).Send(recipient, until).Ignore();
            }
        }

        _textedThrough = admitted;
        return changed;
    }

    /// <summary>
    /// The next moment watchers should hear of: the opening while arrivals await the draw, then
    /// the next admission while positions wait (at most once a second: a fast room moves many
    /// positions per message), then nothing.
    /// </summary>
    private DateTimeOffset? ScheduleAdvance(DateTimeOffset now)
    {
        var next = NextAdvance(now);
        _advanceAlarm ??= new EngineClockAlarm(_time, this.AsReference<IWaitingRoomGrain>().Advance);
        _advanceAlarm.Set(next);
        return next;
    }

    private DateTimeOffset? NextAdvance(DateTimeOffset now)
    {
        DateTimeOffset? next = null;
        if (!Room.Drawn && Room.Pending.Count > 0)
        {
            next = _terms!.Opening;
        }
        else if (AdmittedCount(now) is var admitted && admitted < Room.Queue.Count)
        {
            var nextAdmission = Room.Queue[admitted].AdmitsAt;
            next = nextAdmission > now + TimeSpan.FromSeconds(1) ? nextAdmission : now + TimeSpan.FromSeconds(1);
        }

        return next;
    }

    public Task<Outcome<QueueTicket>> Join(string shopperId) => Join(shopperId, textOnAdmission: null);

    public Task<Outcome<QueueTicket>> JoinByPhone(string shopperId, AdmissionSmsRecipient textOnAdmission) => Join(shopperId, textOnAdmission);

    private async Task<Outcome<QueueTicket>> Join(string shopperId, AdmissionSmsRecipient? textOnAdmission)
    {
        if (_terms is null)
        {
            return Refusal.NotFound(EngineTexts.TheLot);
        }

        if (_terms.WaitingRoom is not { } policy)
        {
            return Refusal.Conflict(EngineTexts.NoWaitingRoom);
        }

        var now = _time.GetUtcNow();
        var changed = DrawIfDue(now, policy);
        var ticket = TicketFor(shopperId, now, policy);
        if (ticket is null || ticket.State == TicketState.Lapsed)
        {
            // A first visit, or a lapsed admission: a place at the back. Asking again while
            // waiting or admitted returns the same ticket and gains nothing.
            if (now < _terms.Opening)
            {
                Room.Pending.Add(new PendingEntry(shopperId, now));
                Room.PendingIds.Add(shopperId);
            }
            else
            {
                Append(shopperId, now, policy, joinedAt: now);
            }

            changed = true;
            ticket = TicketFor(shopperId, now, policy)!;
        }

        // Only a ticket that still waits is texted; the latest phone to ask is the one told.
        if (textOnAdmission is not null && ticket.State is TicketState.AwaitingDraw or TicketState.Waiting
            && !(Room.PhoneRecipients.TryGetValue(shopperId, out var known) && known == textOnAdmission))
        {
            Room.PhoneRecipients[shopperId] = textOnAdmission;
            changed = true;
        }

        if (changed)
        {
            Publish(now, policy);
            ScheduleAdvance(now);
            await _commit.Enqueue(true);
        }

        return Outcome<QueueTicket>.Ok(ticket);
    }

    public async Task<QueueTicket?> TicketOf(string shopperId)
    {
        if (_terms?.WaitingRoom is not { } policy)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        if (DrawIfDue(now, policy))
        {
            Publish(now, policy);
            ScheduleAdvance(now);
            await _commit.Enqueue(true);
        }

        return TicketFor(shopperId, now, policy);
    }

    public async Task<bool> IsAdmitted(string shopperId) => (await TicketOf(shopperId))?.State == TicketState.Admitted;

    /// <summary>
    /// At the opening, everyone who arrived before it gets a position in a uniformly random order
    /// (a cryptographic shuffle: arriving early, or many times, gains nothing), then the room is
    /// first come, first served.
    /// </summary>
    private bool DrawIfDue(DateTimeOffset now, WaitingRoomPolicy policy)
    {
        if (Room.Drawn || now < _terms!.Opening)
        {
            return false;
        }

        var drawn = Room.Pending.ToArray();
        RandomNumberGenerator.Shuffle(drawn.AsSpan());
        foreach (var entry in drawn)
        {
            Append(entry.ShopperId, now, policy, entry.JoinedAt);
        }

        Room.Pending.Clear();
        Room.PendingIds.Clear();
        Room.Drawn = true;
        return true;
    }

    /// <summary>The next position, admitted one interval after the one before it (never before the opening).</summary>
    private void Append(string shopperId, DateTimeOffset now, WaitingRoomPolicy policy, DateTimeOffset joinedAt)
    {
        var interval = TimeSpan.FromSeconds(1.0 / policy.AdmitPerSecond);
        var earliest = Room.Queue.Count == 0 ? _terms!.Opening : Room.Queue[^1].AdmitsAt + interval;
        var admitsAt = earliest > now ? earliest : now;
        if (_positionOf.TryGetValue(shopperId, out var previous))
        {
            // A lapsed shopper re-joins at the back; the old entry keeps its slot in the sequence.
            Room.Queue[previous - 1] = Room.Queue[previous - 1] with { Superseded = true };
        }

        Room.Queue.Add(new QueueEntry(shopperId, joinedAt, admitsAt, Superseded: false));
        _positionOf[shopperId] = Room.Queue.Count;
    }

    private QueueTicket? TicketFor(string shopperId, DateTimeOffset now, WaitingRoomPolicy policy)
    {
        if (Room.PendingIds.Contains(shopperId))
        {
            var pending = Room.Pending.First(p => p.ShopperId == shopperId);
            return new QueueTicket(LotId, shopperId, TicketState.AwaitingDraw, null, null, null, null, pending.JoinedAt);
        }

        if (!_positionOf.TryGetValue(shopperId, out var position))
        {
            return null;
        }

        var entry = Room.Queue[position - 1];
        var until = entry.AdmitsAt + TimeSpan.FromSeconds(policy.AdmissionWindowSeconds);
        var state = now < entry.AdmitsAt ? TicketState.Waiting : now < until ? TicketState.Admitted : TicketState.Lapsed;
        var ahead = state == TicketState.Waiting ? position - 1 - AdmittedCount(now) : 0;
        return new QueueTicket(LotId, shopperId, state, position, entry.AdmitsAt, until, Math.Max(0, ahead), entry.JoinedAt);
    }

    /// <summary>
    /// Lets the silo's queue-length gauge see this room, and tells the lot's watchers how far the
    /// queue has got, paced like stock updates so a joining surge is not a message storm.
    /// </summary>
    private void Publish(DateTimeOffset now, WaitingRoomPolicy policy)
    {
        WaitingRoomGauge.Update(LotId, new WaitingRoomGauge.Shape(
            Room.Pending.Count, Room.Queue.Count, Room.Queue.Count == 0 ? now : Room.Queue[^1].AdmitsAt, policy.AdmitPerSecond, _time));
        switch (_pacer.OnChange(_wallClock.GetUtcNow()))
        {
            case { } wait when wait == TimeSpan.Zero:
                SendProgress();
                break;
            case { } wait:
                _publishTimer ??= this.RegisterGrainTimer(static (room, _) =>
                {
                    room.SendProgress();
                    return Task.CompletedTask;
                }, this, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { Interleave = true });
                _publishTimer.Change(wait, Timeout.InfiniteTimeSpan);
                break;
        }
    }

    private void SendProgress()
    {
        _pacer.Published(_wallClock.GetUtcNow());
        var now = _time.GetUtcNow();
        GrainFactory.GetGrain<ISaleFeedRelayGrain>(0)
            .PublishQueue(new QueueProgress(LotId, Room.Drawn, Room.Queue.Count, AdmittedCount(now), Room.Pending.Count, now))
            .Ignore();
    }

    /// <summary>How many positions have reached their admission time: a binary search, as admission times only rise.</summary>
    private int AdmittedCount(DateTimeOffset now)
    {
        int low = 0, high = Room.Queue.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (Room.Queue[middle].AdmitsAt <= now)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}

[GenerateSerializer]
public sealed class WaitingRoomState
{
    /// <summary>Arrivals before the opening, in arrival order, waiting for the draw.</summary>
    [Id(0)]
    public List<PendingEntry> Pending { get; set; } = [];

    [Id(1)]
    public HashSet<string> PendingIds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Positions in order: position n is <c>Queue[n - 1]</c>.</summary>
    [Id(2)]
    public List<QueueEntry> Queue { get; set; } = [];

    [Id(3)]
    public bool Drawn { get; set; }

    /// <summary>Who to text when a waiting phone ticket is admitted, by shopper; removed once handed to the text's grain.</summary>
    [Id(4)]
    public Dictionary<string, AdmissionSmsRecipient> PhoneRecipients { get; set; } = new(StringComparer.Ordinal);
}

[GenerateSerializer, Immutable]
public sealed record PendingEntry([property: Id(0)] string ShopperId, [property: Id(1)] DateTimeOffset JoinedAt);

[GenerateSerializer, Immutable]
public sealed record QueueEntry(
    [property: Id(0)] string ShopperId,
    [property: Id(1)] DateTimeOffset JoinedAt,
    [property: Id(2)] DateTimeOffset AdmitsAt,
    [property: Id(3)] bool Superseded);
