using Velero.Sdk.Collections;

namespace Velero.Sdk.Tests.Collections;

public class AtomicBitSetTests
{
    [Fact]
    public void Each_bit_is_set_by_exactly_one_of_many_threads()
    {
        const int Bits = 100_003;
        var set = new AtomicBitSet(Bits);
        var wins = new int[Bits];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            for (int i = 0; i < Bits; i++)
            {
                if (set.TrySet(i))
                {
                    Interlocked.Increment(ref wins[i]);
                }
            }
        });

        wins.ShouldAllBe(w => w == 1);
        Enumerable.Range(0, Bits).ShouldAllBe(i => set.IsSet(i));
    }

    [Fact]
    public void Bits_are_independent_and_bounded()
    {
        var set = new AtomicBitSet(130);
        set.TrySet(0).ShouldBeTrue();
        set.TrySet(63).ShouldBeTrue();
        set.TrySet(64).ShouldBeTrue();
        set.TrySet(129).ShouldBeTrue();
        set.TrySet(64).ShouldBeFalse();
        Enumerable.Range(0, 130).Where(i => set.IsSet(i)).ShouldBe([0, 63, 64, 129]);
        Should.Throw<ArgumentOutOfRangeException>(() => set.TrySet(130));
        Should.Throw<ArgumentOutOfRangeException>(() => set.TrySet(-1));
    }
}
