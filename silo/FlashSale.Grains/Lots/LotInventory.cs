using FlashSale.Common;
using FlashSale.Lots.Presale;

namespace FlashSale.Lots;

/// <summary>
/// A lot's inventory as plain, synchronous state: the grain decides with it and applies events
/// to it, and activation replays the journal into it. Keeping it free of Orleans and of I/O
/// means every rule can be tested directly and every decision is made in one scheduler turn,
/// with no await between checking stock and taking it.
/// </summary>
internal sealed class LotInventory
{
    private readonly Dictionary<string, ShopperHold> _holds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OrderReservation> _reservations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Sale> _sales = new(StringComparer.Ordinal);
    private readonly SortedDictionary<DateTimeOffset, int> _sellThrough = [];

    // A presale's allocation, by order, once its harvest is declared.
    private readonly Dictionary<string, HarvestOrderShare> _allocations = new(StringComparer.Ordinal);

    // Held units by the second their hold expires, for the seller's "expiring soon". At most one
    // hold duration of seconds is ever live, so a sum over the front is cheap at any hold count.
    private readonly SortedDictionary<long, int> _heldUntilSecond = [];

    // Earliest expiry first. Renewed or released holds leave stale entries behind; they are
    // recognised (the live hold's expiry differs) and dropped when they reach the front.
    private readonly PriorityQueue<ExpiryEntry, DateTimeOffset> _expiries = new();

    public LotInventory(string lotId) => LotId = lotId;

    public string LotId { get; }

    public LotDefinition? Definition { get; private set; }

    public bool Exists => Definition is not null;

    public DateTimeOffset CreatedAt { get; private set; }

    public long Sequence { get; private set; }

    public LotCounts Counts { get; private set; }

    /// <summary>A presale's declared harvest, once the seller has declared it.</summary>
    public LotHarvest? Harvest { get; private set; }

    /// <summary>Surplus released to a new lot that is not yet confirmed or reclaimed.</summary>
    public SurplusRelease? PendingSurplus { get; private set; }

    public int LiveHolds => _holds.Count;

    public int LiveReservations => _reservations.Count;

    /// <summary>The size a snapshot would have, in entries.</summary>
    public int SnapshotWeight => _holds.Count + _reservations.Count + _sales.Count;

    public DateTimeOffset StartsAt => Definition?.StartsAt ?? CreatedAt;

    public LotStatus StatusAt(DateTimeOffset now, LotCounts counts)
    {
        if (counts.EndedEarly)
        {
            return LotStatus.Ended;
        }

        if (now < StartsAt)
        {
            return LotStatus.Scheduled;
        }

        if (Definition?.EndsAt is { } endsAt && now >= endsAt)
        {
            return LotStatus.Ended;
        }

        if (counts.Paused)
        {
            return LotStatus.Paused;
        }

        return counts.Available == 0 ? LotStatus.SoldOut : LotStatus.Live;
    }

    /// <summary>
    /// The contract's version: one step per journaled change, plus one for each scheduled status
    /// change (opening, ending) that time has passed, so it rises with every change of the counts
    /// or the status and never goes back.
    /// </summary>
    public long VersionAt(DateTimeOffset now, LotCounts counts)
    {
        var version = counts.Sequence;
        if (Definition?.StartsAt is { } startsAt && startsAt > CreatedAt && now >= startsAt)
        {
            version++;
        }

        if (Definition?.EndsAt is { } endsAt && now >= endsAt)
        {
            version++;
        }

        return version;
    }

    public Lot ToLot(DateTimeOffset now, LotCounts counts)
    {
        var d = Definition ?? throw new InvalidOperationException("The lot does not exist.");
        return new Lot(
            LotId, d.SellerId, d.Name, d.Unit, d.PriceMinor, d.Currency,
            counts.Quantity, counts.Available, counts.Reserved, counts.Sold, d.PerShopperLimit,
            StatusAt(now, counts), StartsAt, d.EndsAt, VersionAt(now, counts), d.WaitingRoom, d.PhoneCode,
            d.Kind, d.Presale, Harvest);
    }

    /// <summary>Units in shoppers' holds that expire no later than <paramref name="until"/>.</summary>
    public int HeldUnitsExpiringBy(DateTimeOffset until)
    {
        var last = until.ToUnixTimeSeconds();
        var units = 0;
        foreach (var (second, quantity) in _heldUntilSecond)
        {
            if (second > last)
            {
                break;
            }

            units += quantity;
        }

        return units;
    }

    /// <summary>The next instant the status changes by itself (opening or ending), if any is ahead.</summary>
    public DateTimeOffset? NextScheduledChange(DateTimeOffset now)
    {
        if (Counts.EndedEarly)
        {
            return null;
        }

        if (now < StartsAt)
        {
            return StartsAt;
        }

        return Definition?.EndsAt is { } endsAt && now < endsAt ? endsAt : null;
    }

    /// <summary>The shoppers holding any of the lot, or null when there are more than <paramref name="max"/>.</summary>
    public IReadOnlyList<string>? HoldersUpTo(int max) => _holds.Count > max ? null : [.. _holds.Keys];

    public int HeldBy(string shopperId) => _holds.TryGetValue(shopperId, out var hold) ? hold.Quantity : 0;

    /// <summary>The shopper's hold while it is live at <paramref name="now"/>; null when none.</summary>
    public HeldStock? HoldOf(string shopperId, DateTimeOffset now) =>
        _holds.TryGetValue(shopperId, out var hold) && hold.ExpiresAt > now ? new HeldStock(hold.Quantity, hold.ExpiresAt) : null;

    public int? SoldTo(string orderId) => _sales.TryGetValue(orderId, out var sale) ? sale.Quantity : null;

    public bool HasReservation(string orderId) => _reservations.ContainsKey(orderId);

    // ---- Decisions: each returns the event to apply, a refusal, or null for "nothing to change".

    public Refusal? CheckCreate(LotDefinition definition)
    {
        if (Exists)
        {
            return Refusal.Conflict(EngineTexts.LotExists.Format(LotId));
        }

        if (definition.Quantity is < 1 or > LotLimits.MaxQuantity)
        {
            return Refusal.Invalid(EngineTexts.QuantityRange.Format(LotLimits.MaxQuantity));
        }

        if (definition.PerShopperLimit < 1 || definition.PerShopperLimit > definition.Quantity)
        {
            return Refusal.Invalid(EngineTexts.PerShopperLimitRange);
        }

        return definition.PriceMinor <= 0 ? Refusal.Invalid(EngineTexts.PricePositive) : null;
    }

    /// <param name="termsEdition">The edition of the terms the caller judged the hold on, if it
    /// names one: a hold judged on terms the seller has since edited is refused (<c>conflict</c>).</param>
    public Decision DecideHold(string shopperId, int quantity, DateTimeOffset expiresAt, DateTimeOffset now, int? termsEdition = null)
    {
        if (!Exists)
        {
            return Refusal.NotFound(EngineTexts.TheLot);
        }

        if (termsEdition is { } edition && edition != Definition!.Edition)
        {
            return Refusal.Conflict(EngineTexts.TermsChanged);
        }

        if (quantity < 0)
        {
            return Refusal.Invalid(EngineTexts.QuantityNotNegative);
        }

        if (quantity > Definition!.PerShopperLimit)
        {
            return new Refusal(RefusalCode.LimitExceeded, EngineTexts.AtMostPerShopper.Format(Definition.PerShopperLimit, Definition.Unit));
        }

        var current = HeldBy(shopperId);
        if (quantity == 0)
        {
            return current == 0 ? Decision.Unchanged : new HoldReleased(now, shopperId, Expired: false);
        }

        var more = quantity - current;
        if (more > 0)
        {
            var status = StatusAt(now, Counts);
            if (status is LotStatus.Scheduled or LotStatus.Paused or LotStatus.Ended)
            {
                return LotRefusals.SaleNotLive(status);
            }

            if (Counts.Available < more)
            {
                return Counts.Available == 0 ? LotRefusals.SoldOut : LotRefusals.OnlyLeft(Counts.Available, Definition.Unit);
            }
        }

        return new HoldSet(now, shopperId, quantity, expiresAt);
    }

    public Decision DecideRelease(string shopperId, DateTimeOffset now) =>
        HeldBy(shopperId) == 0 ? Decision.Unchanged : new HoldReleased(now, shopperId, Expired: false);

    public Decision DecideReserve(string shopperId, string orderId, int quantity, DateTimeOffset deadline, bool sellNow, DateTimeOffset now)
    {
        if (!Exists)
        {
            return Refusal.NotFound(EngineTexts.TheLot);
        }

        if (_reservations.ContainsKey(orderId) || _sales.ContainsKey(orderId))
        {
            return Decision.Unchanged; // a retry of a checkout that already moved this hold
        }

        var held = HeldBy(shopperId);
        if (held == 0)
        {
            return Refusal.Conflict(EngineTexts.HoldExpired);
        }

        if (held != quantity)
        {
            return Refusal.Conflict(EngineTexts.HoldIsFor.Format(held, quantity));
        }

        return deadline <= now && !sellNow
            ? Refusal.Invalid(EngineTexts.DeadlineAlreadyPassed)
            : new HoldMovedToOrder(now, shopperId, orderId, quantity, deadline, sellNow);
    }

    public Decision DecideSell(string orderId, DateTimeOffset now)
    {
        if (_sales.ContainsKey(orderId))
        {
            return Decision.Unchanged;
        }

        if (!_reservations.TryGetValue(orderId, out var reservation))
        {
            return Refusal.Conflict(EngineTexts.ReservationReleased);
        }

        // The deadline is inclusive of its instant: at the deadline the stock goes back.
        return reservation.PaymentDeadline <= now
            ? Refusal.Conflict(EngineTexts.OrderDeadlinePassed)
            : new ReservationSold(now, orderId);
    }

    /// <summary>
    /// A payment arrived after the order's stock went back on sale: sell it to the order again if
    /// it is still there, straight from <c>available</c>, never from anyone's hold.
    /// </summary>
    public Decision DecideRetake(string orderId, int quantity, DateTimeOffset now)
    {
        if (!Exists)
        {
            return Refusal.NotFound(EngineTexts.TheLot);
        }

        if (_sales.ContainsKey(orderId))
        {
            return Decision.Unchanged;
        }

        if (_reservations.ContainsKey(orderId))
        {
            return Refusal.Conflict(EngineTexts.ReservationStillHeld);
        }

        if (Harvest is not null)
        {
            // The harvest has been shared among the deposits paid in time; a late one gets its money back.
            return Refusal.Conflict(EngineTexts.HarvestAlreadyDeclared);
        }

        return Counts.Available >= quantity
            ? new StockRetaken(now, orderId, quantity)
            : new Refusal(RefusalCode.SoldOut, EngineTexts.StockBackOnSaleAndGone);
    }

    /// <summary>A paid order was refunded: its sold stock goes back on sale.</summary>
    public Decision DecideRefund(string orderId, DateTimeOffset now) =>
        _sales.ContainsKey(orderId) ? new SaleRefunded(now, orderId) : Decision.Unchanged;

    public Decision DecideReleaseReservation(string orderId, DateTimeOffset now) =>
        _reservations.ContainsKey(orderId) ? new ReservationReleased(now, orderId, Expired: false) : Decision.Unchanged;

    /// <summary>An operator takes the lot down: the sale ends for good and every hold returns; placed orders keep their stock.</summary>
    public Decision DecideTakeDown(DateTimeOffset now)
    {
        if (!Exists)
        {
            return Refusal.NotFound(EngineTexts.TheLot);
        }

        return Counts.EndedEarly ? Decision.Unchanged : new LotTakenDown(now);
    }

    /// <summary>
    /// The seller ends the sale now: no new hold is taken, every hold returns, placed orders keep
    /// their stock. Ending a lot that has already ended for good changes nothing.
    /// </summary>
    public Decision DecideEnd(string sellerId, DateTimeOffset now)
    {
        if (CheckOwner(sellerId) is { } refusal)
        {
            return refusal;
        }

        return Counts.EndedEarly ? Decision.Unchanged : new SaleEnded(now);
    }

    /// <summary>
    /// The seller changes the lot's terms. Only before it opens: until then no hold, order or sale
    /// exists that was made on the old terms, so nothing already promised to a shopper changes.
    /// </summary>
    public Decision DecideEdit(string sellerId, LotEdit edit, long maxOrderTotalMinor, DateTimeOffset now)
    {
        if (CheckOwner(sellerId) is { } refusal)
        {
            return refusal;
        }

        if (StatusAt(now, Counts) != LotStatus.Scheduled)
        {
            return Refusal.Conflict(EngineTexts.EditOnlyBeforeOpening);
        }

        var current = Definition! with { StartsAt = StartsAt };
        var edited = current with
        {
            Name = edit.Name ?? current.Name,
            Unit = edit.Unit ?? current.Unit,
            PriceMinor = edit.PriceMinor ?? current.PriceMinor,
            PerShopperLimit = edit.PerShopperLimit ?? current.PerShopperLimit,
            StartsAt = edit.StartsAt ?? current.StartsAt,
            EndsAt = edit.EndsAt ?? current.EndsAt,
        };
        if (edited.PriceMinor is <= 0 or > LotLimits.MaxPriceMinor)
        {
            return Refusal.Invalid(EngineTexts.PricePositive);
        }

        if (edited.PerShopperLimit < 1 || edited.PerShopperLimit > Counts.Quantity)
        {
            return Refusal.Invalid(EngineTexts.PerShopperLimitRange);
        }

        // One shopper's whole allowance must fit in one order, as at creation (both factors are in range, so the product fits).
        if (edited.PriceMinor * edited.PerShopperLimit > maxOrderTotalMinor)
        {
            return Refusal.Invalid(EngineTexts.LineAboveOrderCeiling.Format(maxOrderTotalMinor));
        }

        if (edited.EndsAt is { } endsAt && (endsAt <= edited.StartsAt || endsAt <= now))
        {
            return Refusal.Invalid(EngineTexts.EndsAfterStartsAndNow);
        }

        return edited == current ? Decision.Unchanged : new LotEdited(now, edited with { Edition = current.Edition + 1 });
    }

    /// <summary>
    /// The seller declares a presale's harvest: once, within its window, and only when no order
    /// still awaits its deposit (an order paying later would have no share). Every order whose
    /// deposit is paid is a claim on the harvest, made at the time it was ordered.
    /// </summary>
    public Decision DecideHarvest(string sellerId, int declared, DateTimeOffset now, IReadOnlyDictionary<string, long>? packedGrams = null)
    {
        if (CheckOwner(sellerId) is { } refusal)
        {
            return refusal;
        }

        if (Definition!.Presale is not { } terms)
        {
            return Refusal.Conflict(EngineTexts.NotAPresale);
        }

        if (Harvest is { } harvest)
        {
            return harvest.Declared == declared ? Decision.Unchanged : Refusal.Conflict(EngineTexts.HarvestDeclaredOnce.Format(harvest.Declared));
        }

        if (declared is < 0 or > LotLimits.MaxQuantity)
        {
            return Refusal.Invalid(EngineTexts.HarvestRange.Format(LotLimits.MaxQuantity));
        }

        if (now < terms.HarvestFrom || now > terms.HarvestTo)
        {
            return Refusal.Conflict(EngineTexts.OutsideHarvestWindow.Format(Utc(terms.HarvestFrom), Utc(terms.HarvestTo)));
        }

        if (_reservations.Count > 0)
        {
            return Refusal.Conflict(EngineTexts.DepositsStillAwaited.Format(_reservations.Count, Utc(_reservations.Values.Max(r => r.PaymentDeadline))));
        }

        var claims = _sales.Select(s => new HarvestClaim(s.Key, s.Value.Quantity, s.Value.OrderedAt)).ToList();
        var shares = new List<HarvestOrderShare>();
        foreach (var share in HarvestAllocation.Allocate(claims, declared, terms.Allocation))
        {
            var weighed = Weighed(new HarvestOrderShare(share.OrderId, share.Ordered, share.Allocated), terms, packedGrams);
            if (weighed.Refusal is { } badWeight)
            {
                return badWeight;
            }

            shares.Add(weighed.Value!);
        }

        var unknown = packedGrams?.Keys.FirstOrDefault(id => shares.All(s => !string.Equals(s.OrderId, id, StringComparison.Ordinal) || s.Allocated == 0));
        return unknown is not null ? Refusal.Invalid(EngineTexts.PackedForNoShare.Format(unknown)) : new HarvestDeclared(now, declared, shares);
    }

    /// <summary>
    /// A share of a lot sold by weight, with what the seller packed for it and the money that
    /// makes: price × (packed − nominal) ÷ the unit's weight, rounded to the nearest minor unit.
    /// The packed weight must be within the lot's tolerance of the nominal weight of the share;
    /// an order not weighed is taken at its nominal weight.
    /// </summary>
    private Outcome<HarvestOrderShare> Weighed(HarvestOrderShare share, PresaleTerms terms, IReadOnlyDictionary<string, long>? packedGrams)
    {
        if (terms.UnitWeightGrams is not { } unitGrams || share.Allocated == 0 || packedGrams is null || !packedGrams.TryGetValue(share.OrderId, out var packed))
        {
            return Outcome<HarvestOrderShare>.Ok(share);
        }

        // Int128: a million units of a tonne each, at the largest price, passes 64 bits on the way.
        var nominal = (Int128)unitGrams * share.Allocated;
        var tolerance = nominal * (terms.WeightTolerancePercent ?? 0) / 100;
        if (packed <= 0 || Int128.Abs(packed - nominal) > tolerance)
        {
            return Refusal.Invalid(EngineTexts.PackedOutsideTolerance.Format(share.OrderId, packed, (long)nominal, terms.WeightTolerancePercent ?? 0));
        }

        var exact = (Int128)Definition!.PriceMinor * (packed - nominal);
        var adjustment = Int128.DivRem(exact, unitGrams) is var (quotient, remainder) && Int128.Abs(remainder) * 2 >= unitGrams
            ? quotient + Int128.Sign(exact)
            : quotient;
        return Outcome<HarvestOrderShare>.Ok(share with { PackedGrams = packed, AdjustmentMinor = (long)adjustment });
    }

    /// <summary>The declaration <see cref="DecideHarvest"/> would make now, for a preview; the refusal it would give otherwise.</summary>
    public Outcome<HarvestDeclaration> PreviewHarvest(string sellerId, int declared, DateTimeOffset now)
    {
        var decision = DecideHarvest(sellerId, declared, now);
        return decision switch
        {
            { Refusal: { } refusal } => refusal,
            { Change: HarvestDeclared d } => Outcome<HarvestDeclaration>.Ok(new HarvestDeclaration(LotId, declared, [.. d.Shares.OrderBy(s => s.OrderId, StringComparer.Ordinal)], now)),
            _ => Outcome<HarvestDeclaration>.Ok(ToDeclaration()!), // already declared, with this quantity
        };
    }

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// After the harvest, what nobody took leaves for a new lot: only the lot's seller, only once
    /// the harvest is declared, and one release at a time (a pending one is answered again, so a
    /// caller that died between releasing and creating the new lot is finished by the next call).
    /// </summary>
    public Decision DecideReleaseSurplus(string sellerId, string newLotId, DateTimeOffset now)
    {
        if (CheckOwner(sellerId) is { } refusal)
        {
            return refusal;
        }

        if (Harvest is null)
        {
            return Refusal.Conflict(EngineTexts.SurplusOnlyAfterHarvest);
        }

        if (PendingSurplus is not null)
        {
            return Decision.Unchanged;
        }

        return Counts.Available == 0 ? Refusal.Conflict(EngineTexts.NoSurplus) : new SurplusReleased(now, newLotId, Counts.Available);
    }

    /// <summary>
    /// Reserves units of this declared harvest for a substitute offer to another grade's order:
    /// only the seller, only from what is available, only until a time ahead.
    /// </summary>
    public Decision DecideReserveOffer(string sellerId, string offerId, string shopperId, int quantity, DateTimeOffset until, DateTimeOffset now)
    {
        if (CheckOwner(sellerId) is { } refusal)
        {
            return refusal;
        }

        if (Definition!.Presale is null || Harvest is null)
        {
            return Refusal.Conflict(EngineTexts.SubstituteFromHarvestOnly);
        }

        if (_reservations.ContainsKey(offerId) || _sales.ContainsKey(offerId))
        {
            return Decision.Unchanged; // the same offer again
        }

        if (quantity < 1 || quantity > LotLimits.MaxQuantity)
        {
            return Refusal.Invalid(EngineTexts.QuantityRange.Format(LotLimits.MaxQuantity));
        }

        if (until <= now)
        {
            return Refusal.Invalid(EngineTexts.DeadlineAlreadyPassed);
        }

        if (Counts.Available < quantity)
        {
            return Counts.Available == 0 ? LotRefusals.SoldOut : LotRefusals.OnlyLeft(Counts.Available, Definition.Unit);
        }

        return new OfferReserved(now, offerId, shopperId, quantity, until);
    }

    public Decision DecideSettleSurplus(string newLotId, bool created, DateTimeOffset now) =>
        PendingSurplus is { } pending && string.Equals(pending.NewLotId, newLotId, StringComparison.Ordinal)
            ? created ? new SurplusConfirmed(now, newLotId) : new SurplusReclaimed(now, newLotId)
            : Decision.Unchanged;

    /// <summary>Where this order stands with the harvest; null when the lot sold it nothing (or is no presale).</summary>
    public OrderHarvest? HarvestFor(string orderId, DateTimeOffset now)
    {
        if (Definition?.Presale is not { } terms)
        {
            return null;
        }

        if (Harvest is { } harvest)
        {
            return _allocations.TryGetValue(orderId, out var share)
                ? new OrderHarvest(OrderHarvestState.Allocated, share.Allocated, harvest.DeclaredAt, share.PackedGrams, share.AdjustmentMinor)
                : null;
        }

        if (!_sales.ContainsKey(orderId))
        {
            return null;
        }

        // After the window nothing can be declared any more (DecideHarvest refuses), so a lapse is final.
        return now > terms.HarvestTo ? new OrderHarvest(OrderHarvestState.Lapsed, 0, terms.HarvestTo) : new OrderHarvest(OrderHarvestState.Pending, 0, null);
    }

    /// <summary>The declaration as the contract answers it, once there is one.</summary>
    public HarvestDeclaration? ToDeclaration() =>
        Harvest is { } harvest ? new HarvestDeclaration(LotId, harvest.Declared, [.. _allocations.Values.OrderBy(s => s.OrderId, StringComparer.Ordinal)], harvest.DeclaredAt) : null;

    public Decision DecidePause(string sellerId, bool pause, DateTimeOffset now)
    {
        if (CheckOwner(sellerId) is { } refusal)
        {
            return refusal;
        }

        if (StatusAt(now, Counts) == LotStatus.Ended)
        {
            return Refusal.Conflict(EngineTexts.SaleEnded);
        }

        if (Counts.Paused == pause)
        {
            return Decision.Unchanged;
        }

        return pause ? new SalePaused(now) : new SaleResumed(now);
    }

    public Decision DecideRestock(string sellerId, int quantity, DateTimeOffset now)
    {
        if (CheckOwner(sellerId) is { } refusal)
        {
            return refusal;
        }

        if (quantity < 1 || (long)Counts.Quantity + quantity > LotLimits.MaxQuantity)
        {
            return Refusal.Invalid(EngineTexts.RestockRange.Format(LotLimits.MaxQuantity));
        }

        return StatusAt(now, Counts) == LotStatus.Ended ? Refusal.Conflict(EngineTexts.SaleEnded) : new Restocked(now, quantity);
    }

    public Refusal? CheckOwner(string sellerId)
    {
        if (!Exists)
        {
            return Refusal.NotFound(EngineTexts.TheLot);
        }

        return string.Equals(Definition!.SellerId, sellerId, StringComparison.Ordinal)
            ? null
            : Refusal.Forbidden(EngineTexts.OnlyTheSeller);
    }

    /// <summary>Events that return every hold and reservation expired at <paramref name="now"/>.</summary>
    /// <remarks>
    /// A renewed hold leaves one queue entry per renewal, and renewals to the same instant look
    /// alike; each key is therefore returned at most once per pass, since the events are only
    /// applied after the pass.
    /// </remarks>
    public List<LotEvent> CollectExpired(DateTimeOffset now)
    {
        var expired = new List<LotEvent>();
        var returned = new HashSet<ExpiryEntry>();
        while (_expiries.TryPeek(out var entry, out var at) && at <= now)
        {
            _expiries.Dequeue();
            var due = entry.IsReservation
                ? _reservations.TryGetValue(entry.Key, out var reservation) && reservation.PaymentDeadline == at
                : _holds.TryGetValue(entry.Key, out var hold) && hold.ExpiresAt == at;
            if (due && returned.Add(entry))
            {
                expired.Add(entry.IsReservation
                    ? new ReservationReleased(now, entry.Key, Expired: true)
                    : new HoldReleased(now, entry.Key, Expired: true));
            }
        }

        return expired;
    }

    /// <summary>When the next hold or reservation expires, if any; may be early (a stale entry), never late.</summary>
    public DateTimeOffset? NextExpiry => _expiries.TryPeek(out _, out var at) ? at : null;

    // ---- Applying events: the only code that changes state, used live and on replay alike.

    public void Apply(LotEvent e)
    {
        var c = Counts;
        switch (e)
        {
            case LotCreated created:
                Definition = created.Definition;
                CreatedAt = created.At;
                c = new LotCounts(created.Definition.Quantity, created.Definition.Quantity, 0, 0, false, 0);
                break;

            case HoldSet set:
            {
                var previous = HeldBy(set.ShopperId);
                var more = set.Quantity - previous;
                c = c with { Available = c.Available - more, Reserved = c.Reserved + more };
                if (_holds.TryGetValue(set.ShopperId, out var replaced))
                {
                    Unindex(replaced);
                }

                _holds[set.ShopperId] = new ShopperHold(set.Quantity, set.ExpiresAt);
                Index(_holds[set.ShopperId]);
                _expiries.Enqueue(new ExpiryEntry(set.ShopperId, IsReservation: false), set.ExpiresAt);
                break;
            }

            case HoldReleased released:
            {
                var hold = Take(_holds, released.ShopperId, "hold");
                Unindex(hold);
                var previous = hold.Quantity;
                c = c with { Available = c.Available + previous, Reserved = c.Reserved - previous };
                break;
            }

            case HoldMovedToOrder moved:
            {
                var hold = Take(_holds, moved.ShopperId, "hold");
                Unindex(hold);
                if (hold.Quantity != moved.Quantity)
                {
                    throw new InvalidOperationException($"Lot {LotId}: hold of {hold.Quantity} cannot move {moved.Quantity}.");
                }

                if (moved.Sold)
                {
                    c = c with { Reserved = c.Reserved - moved.Quantity, Sold = c.Sold + moved.Quantity };
                    RecordSale(moved.OrderId, moved.Quantity, moved.At, moved.At);
                }
                else
                {
                    _reservations[moved.OrderId] = new OrderReservation(moved.ShopperId, moved.Quantity, moved.PaymentDeadline, moved.At);
                    _expiries.Enqueue(new ExpiryEntry(moved.OrderId, IsReservation: true), moved.PaymentDeadline);
                }

                break;
            }

            case ReservationSold sold:
            {
                var reservation = Take(_reservations, sold.OrderId, "reservation");
                c = c with { Reserved = c.Reserved - reservation.Quantity, Sold = c.Sold + reservation.Quantity };
                RecordSale(sold.OrderId, reservation.Quantity, sold.At, reservation.OrderedAt);
                break;
            }

            case ReservationReleased released:
            {
                var reservation = Take(_reservations, released.OrderId, "reservation");
                c = c with { Available = c.Available + reservation.Quantity, Reserved = c.Reserved - reservation.Quantity };
                break;
            }

            case StockRetaken retaken:
                c = c with { Available = c.Available - retaken.Quantity, Sold = c.Sold + retaken.Quantity };
                RecordSale(retaken.OrderId, retaken.Quantity, retaken.At, retaken.At);
                break;

            case SaleRefunded refunded:
            {
                var sale = Take(_sales, refunded.OrderId, "sale");
                c = c with { Available = c.Available + sale.Quantity, Sold = c.Sold - sale.Quantity };
                _sellThrough[sale.Minute] -= sale.Quantity;
                break;
            }

            case SalePaused:
                c = c with { Paused = true };
                break;

            case SaleResumed:
                c = c with { Paused = false };
                break;

            case LotEdited edited:
                Definition = edited.Definition;
                break;

            case LotTakenDown or SaleEnded:
                c = ReturnEveryHold(c) with { EndedEarly = true };
                break;

            case HarvestDeclared declared:
            {
                c = ReturnEveryHold(c) with { EndedEarly = true };
                var allocated = 0;
                foreach (var share in declared.Shares)
                {
                    var sale = Take(_sales, share.OrderId, "sale");
                    _sellThrough[sale.Minute] -= sale.Quantity - share.Allocated;
                    if (share.Allocated > 0)
                    {
                        _sales[share.OrderId] = sale with { Quantity = share.Allocated };
                    }

                    _allocations[share.OrderId] = share;
                    allocated += share.Allocated;
                }

                if (_sales.Count != _allocations.Values.Count(a => a.Allocated > 0) || c.Reserved != 0)
                {
                    throw new InvalidOperationException($"Lot {LotId}: the harvest left a sale or reservation unallocated.");
                }

                // The lot is now the real harvest: what was allocated is sold, the rest (if the
                // harvest beat the orders) is available to sell on.
                Harvest = new LotHarvest(declared.Declared, declared.At, Forecast: Counts.Quantity);
                c = c with { Quantity = declared.Declared, Sold = allocated, Available = declared.Declared - allocated };
                break;
            }

            case OfferReserved offered:
                _reservations[offered.OrderId] = new OrderReservation(offered.ShopperId, offered.Quantity, offered.Until, offered.At);
                _expiries.Enqueue(new ExpiryEntry(offered.OrderId, IsReservation: true), offered.Until);
                c = c with { Available = c.Available - offered.Quantity, Reserved = c.Reserved + offered.Quantity };
                break;

            case SurplusReleased released:
                PendingSurplus = new SurplusRelease(released.NewLotId, released.Quantity);
                c = c with { Quantity = c.Quantity - released.Quantity, Available = c.Available - released.Quantity };
                break;

            case SurplusConfirmed:
                PendingSurplus = null;
                break;

            case SurplusReclaimed:
            {
                var back = PendingSurplus?.Quantity ?? throw new InvalidOperationException($"Lot {LotId}: no surplus to reclaim.");
                PendingSurplus = null;
                c = c with { Quantity = c.Quantity + back, Available = c.Available + back };
                break;
            }

            case Restocked restocked:
                c = c with { Quantity = c.Quantity + restocked.Quantity, Available = c.Available + restocked.Quantity };
                break;

            default:
                throw new InvalidOperationException($"Unknown lot event {e.GetType().Name}.");
        }

        Sequence++;
        Counts = c with { Sequence = Sequence };
        Counts.EnsureConsistent(LotId);
        CompactExpiriesIfStale();
    }

    /// <summary>Every hold goes back to stock (the sale ends); their queue entries go stale and are dropped when they come due.</summary>
    private LotCounts ReturnEveryHold(LotCounts c)
    {
        var held = 0;
        foreach (var hold in _holds.Values)
        {
            Unindex(hold);
            held += hold.Quantity;
        }

        _holds.Clear();
        return c with { Available = c.Available + held, Reserved = c.Reserved - held };
    }

    /// <summary>
    /// Renewed and released holds leave stale queue entries behind until their old time comes. A
    /// busy lot would pile them up (a hold renewed every few seconds leaves hundreds), so when they
    /// outnumber the live entries the queue is rebuilt from the live ones: O(live) work after at
    /// least as many changes, a constant cost per change.
    /// </summary>
    private void CompactExpiriesIfStale()
    {
        var live = _holds.Count + _reservations.Count;
        if (_expiries.Count <= (2 * live) + 1024)
        {
            return;
        }

        _expiries.Clear();
        foreach (var (shopperId, hold) in _holds)
        {
            _expiries.Enqueue(new ExpiryEntry(shopperId, IsReservation: false), hold.ExpiresAt);
        }

        foreach (var (orderId, reservation) in _reservations)
        {
            _expiries.Enqueue(new ExpiryEntry(orderId, IsReservation: true), reservation.PaymentDeadline);
        }
    }

    /// <summary>Queue entries, live and stale, for tests of the compaction.</summary>
    internal int ExpiryEntries => _expiries.Count;

    public LotSnapshot ToSnapshot() => new(
        Sequence,
        Definition ?? throw new InvalidOperationException("The lot does not exist."),
        CreatedAt,
        Counts.Quantity,
        Counts.Available,
        Counts.Reserved,
        Counts.Sold,
        Counts.Paused,
        _holds.Select(h => new SnapshotHold(h.Key, h.Value.Quantity, h.Value.ExpiresAt)).ToList(),
        _reservations.Select(r => new SnapshotReservation(r.Key, r.Value.ShopperId, r.Value.Quantity, r.Value.PaymentDeadline, r.Value.OrderedAt)).ToList(),
        _sales.Select(s => new SnapshotSale(s.Key, s.Value.Quantity, s.Value.Minute, s.Value.OrderedAt)).ToList(),
        SellThrough(),
        Counts.EndedEarly,
        Harvest,
        Harvest is null ? null : [.. _allocations.Values],
        PendingSurplus);

    public void Restore(LotSnapshot snapshot)
    {
        Definition = snapshot.Definition;
        CreatedAt = snapshot.CreatedAt;
        Sequence = snapshot.Sequence;
        Counts = new LotCounts(snapshot.Quantity, snapshot.Available, snapshot.Reserved, snapshot.Sold, snapshot.Paused, snapshot.Sequence, snapshot.EndedEarly);
        Counts.EnsureConsistent(LotId);
        foreach (var h in snapshot.Holds)
        {
            _holds[h.ShopperId] = new ShopperHold(h.Quantity, h.ExpiresAt);
            Index(_holds[h.ShopperId]);
            _expiries.Enqueue(new ExpiryEntry(h.ShopperId, IsReservation: false), h.ExpiresAt);
        }

        foreach (var r in snapshot.Reservations)
        {
            // A snapshot written before order times were kept orders by the deadline: the same order for one payment method.
            _reservations[r.OrderId] = new OrderReservation(r.ShopperId, r.Quantity, r.PaymentDeadline, r.OrderedAt ?? r.PaymentDeadline);
            _expiries.Enqueue(new ExpiryEntry(r.OrderId, IsReservation: true), r.PaymentDeadline);
        }

        foreach (var s in snapshot.Sales)
        {
            _sales[s.OrderId] = new Sale(s.Quantity, s.Minute, s.OrderedAt ?? s.Minute);
        }

        Harvest = snapshot.Harvest;
        PendingSurplus = snapshot.PendingSurplus;
        foreach (var share in snapshot.Allocations ?? [])
        {
            _allocations[share.OrderId] = share;
        }

        foreach (var p in snapshot.SellThrough)
        {
            _sellThrough[p.Minute] = p.Sold;
        }
    }

    /// <summary>The owner's stats; <paramref name="expiringSoonBy"/> bounds the holds counted as expiring soon.</summary>
    public LotStats ToStats(LotCounts counts, DateTimeOffset expiringSoonBy) => new(
        LotId, counts.Sold, counts.Reserved, counts.Available,
        checked(counts.Sold * Definition!.PriceMinor), _sales.Count, SellThrough(), HeldUnitsExpiringBy(expiringSoonBy));

    private List<SellThroughPoint> SellThrough() => _sellThrough.Select(p => new SellThroughPoint(p.Key, p.Value)).ToList();

    private void RecordSale(string orderId, int quantity, DateTimeOffset at, DateTimeOffset orderedAt)
    {
        var minute = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        _sales[orderId] = new Sale(quantity, minute, orderedAt);
        _sellThrough[minute] = _sellThrough.GetValueOrDefault(minute) + quantity;
    }

    private void Index(ShopperHold hold)
    {
        var second = hold.ExpiresAt.ToUnixTimeSeconds();
        _heldUntilSecond[second] = _heldUntilSecond.GetValueOrDefault(second) + hold.Quantity;
    }

    private void Unindex(ShopperHold hold)
    {
        var second = hold.ExpiresAt.ToUnixTimeSeconds();
        var left = _heldUntilSecond[second] - hold.Quantity;
        if (left == 0)
        {
            _heldUntilSecond.Remove(second);
        }
        else
        {
            _heldUntilSecond[second] = left;
        }
    }

    private TValue Take<TValue>(Dictionary<string, TValue> entries, string key, string what)
    {
        if (!entries.Remove(key, out var value))
        {
            throw new InvalidOperationException($"Lot {LotId}: no {what} for {key}.");
        }

        return value;
    }

    private readonly record struct ShopperHold(int Quantity, DateTimeOffset ExpiresAt);

    private readonly record struct OrderReservation(string ShopperId, int Quantity, DateTimeOffset PaymentDeadline, DateTimeOffset OrderedAt);

    /// <summary>A sale to an order; <see cref="OrderedAt"/> is when the order was placed, which ranks a presale's claims on its harvest.</summary>
    private readonly record struct Sale(int Quantity, DateTimeOffset Minute, DateTimeOffset OrderedAt);

    private readonly record struct ExpiryEntry(string Key, bool IsReservation);
}

/// <summary>The counts of a lot at one sequence number; small enough to copy per change.</summary>
internal readonly record struct LotCounts(int Quantity, int Available, int Reserved, int Sold, bool Paused, long Sequence, bool EndedEarly = false)
{
    public void EnsureConsistent(string lotId)
    {
        // The invariant is checked on every applied change, live and on replay: a violation is a
        // bug in the engine, and failing loudly here keeps it from ever reaching a shopper.
        if (Available < 0 || Reserved < 0 || Sold < 0 || Available + Reserved + Sold != Quantity)
        {
            throw new InvalidOperationException(
                $"Lot {lotId} broke its invariant: available {Available} + reserved {Reserved} + sold {Sold} != quantity {Quantity}.");
        }
    }
}

/// <summary>The result of deciding a command: an event to apply, a refusal, or no change.</summary>
internal readonly struct Decision
{
    private Decision(LotEvent? change, Refusal? refusal)
    {
        Change = change;
        Refusal = refusal;
    }

    public static Decision Unchanged => default;

    public LotEvent? Change { get; }

    public Refusal? Refusal { get; }

    public static implicit operator Decision(LotEvent change) => new(change, null);

    public static implicit operator Decision(Refusal refusal) => new(null, refusal);
}
