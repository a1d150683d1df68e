using Velero.Sdk.Archive;

namespace Velero.Sdk.Tests.Archive;

public sealed class BoundedBufferPoolTests
{
    [Fact]
    public void Rented_arrays_fit_the_request_in_64_KB_steps_and_come_back_smallest_fit_first()
    {
        var pool = new BoundedBufferPool(maxFree: 2);
        var small = pool.Rent(100_000);
        small.Length.ShouldBe(2 * BoundedBufferPool.Granularity);
        var large = pool.Rent(1_000_000);
        large.Length.ShouldBe(16 * BoundedBufferPool.Granularity);

        pool.Return(large);
        pool.Return(small);
        pool.Rent(50_000).ShouldBeSameAs(small); // the smallest free array that fits
        pool.Rent(50_000).ShouldBeSameAs(large);
        pool.Rent(50_000).ShouldNotBeSameAs(small); // nothing free: a new one
    }

    [Fact]
    public void A_full_pool_keeps_its_largest_arrays_and_leaves_the_rest_to_the_GC()
    {
        var pool = new BoundedBufferPool(maxFree: 2);
        var a = pool.Rent(1);
        var b = pool.Rent(200_000);
        var c = pool.Rent(500_000);
        pool.Return(a);
        pool.Return(b);
        pool.Return(c); // full: c replaces a, the smallest

        pool.Rent(1).ShouldBeSameAs(b);
        pool.Rent(1).ShouldBeSameAs(c);
        var fresh = pool.Rent(1);
        fresh.ShouldNotBeSameAs(a);
        fresh.Length.ShouldBe(BoundedBufferPool.Granularity);
    }
}
