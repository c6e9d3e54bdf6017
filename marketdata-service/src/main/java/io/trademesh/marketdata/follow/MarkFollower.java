package io.trademesh.marketdata.follow;

import com.google.protobuf.InvalidProtocolBufferException;
import io.trademesh.marketdata.store.MarketDataStateMachine;
import io.trademesh.platform.cluster.MarketDirectory;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.events.Addresses;
import io.trademesh.proto.common.MarketLocation;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.futures.MarkPrice;
import io.trademesh.proto.marketdata.MarkSample;
import io.trademesh.proto.marketdata.MarketDataCommand;
import io.trademesh.proto.marketdata.MarksObserved;
import io.trademesh.proto.options.OptionTicker;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Logger;

/**
 * Follows the mark price of every futures contract ({@code md.<m>.mark}) and option
 * ({@code md.<m>.option}) in the market directory, and journals what it heard once a second
 * as one {@code MarksObserved} command: the points of the mark-price candles. Marks are
 * published every second, not in event batches: one missed is a candle with one sample fewer,
 * never a wrong one; each sample counts once per market and time.
 */
public final class MarkFollower {

    private static final Logger LOG = Logger.getLogger(MarkFollower.class.getName());

    private final Vertx vertx;
    private final CommandShard<MarketDataStateMachine, MarketDataCommand, Integer> shard;
    private final MarketDirectory markets;
    private final Map<String, MessageConsumer<Buffer>> consumers = new HashMap<>();
    private final ConcurrentLinkedQueue<MarkSample> heard = new ConcurrentLinkedQueue<>();
    private final List<Long> timers = new ArrayList<>();

    public MarkFollower(Vertx vertx, CommandShard<MarketDataStateMachine, MarketDataCommand, Integer> shard) {
        this.vertx = vertx;
        this.shard = shard;
        this.markets = new MarketDirectory(vertx);
    }

    public void start() {
        follow();
        timers.add(vertx.setPeriodic(5_000, id -> follow()));
        timers.add(vertx.setPeriodic(1_000, id -> journal()));
    }

    /** Follows the marks of the futures contracts and options listed since the last look. */
    private void follow() {
        markets.all().onSuccess(all -> {
            for (MarketLocation l : all) {
                String market = l.getMarket();
                if (consumers.containsKey(market)) {
                    continue;
                }
                if (l.getProduct() == Product.PRODUCT_FUTURES) {
                    consumers.put(market, vertx.eventBus().<Buffer>consumer(Addresses.mark(market), m -> {
                        try {
                            MarkPrice p = MarkPrice.parseFrom(m.body().getBytes());
                            heard(market, p.getMarkPrice(), p.getTimestampMs(), !p.getSettled());
                        } catch (InvalidProtocolBufferException e) {
                            LOG.warning("undecodable mark on " + Addresses.mark(market) + ": " + e.getMessage());
                        }
                    }));
                } else if (l.getProduct() == Product.PRODUCT_OPTIONS) {
                    consumers.put(market, vertx.eventBus().<Buffer>consumer(Addresses.option(market), m -> {
                        try {
                            OptionTicker t = OptionTicker.parseFrom(m.body().getBytes());
                            heard(market, t.getMarkPrice(), t.getTimestampMs(), !t.getSettled());
                        } catch (InvalidProtocolBufferException e) {
                            LOG.warning("undecodable ticker on " + Addresses.option(market) + ": " + e.getMessage());
                        }
                    }));
                }
            }
        });
    }

    private void heard(String market, long price, long timeMs, boolean live) {
        if (live && price > 0) {
            heard.add(MarkSample.newBuilder().setMarket(market).setPrice(price).setTimestampMs(timeMs).build());
        }
    }

    private void journal() {
        MarksObserved.Builder b = MarksObserved.newBuilder();
        for (MarkSample s = heard.poll(); s != null; s = heard.poll()) {
            b.addSamples(s);
        }
        if (b.getSamplesCount() > 0 && shard.healthy()) {
            shard.submit(MarketDataCommand.newBuilder().setMarks(b).build())
                    .onFailure(e -> LOG.warning("journaling " + b.getSamplesCount() + " marks failed: " + e.getMessage()));
        }
    }

    public void stop() {
        timers.forEach(vertx::cancelTimer);
        consumers.values().forEach(MessageConsumer::unregister);
    }
}
