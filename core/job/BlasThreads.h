#pragma once

namespace custody {

// Every numeric phase whose result is recorded (a scan, a drift run, a projection) calls this first. It sets
// OpenBLAS to one thread for the rest of the process, once: a product split over a different number of BLAS
// threads may sum in another order and give other bits, so a scan on a 2-core machine would record other
// findings than on an 8-core one, or than a second scan in the same process. Custody parallelises above BLAS
// instead, over blocks of rows whose partition does not depend on the thread count.
//
// Process-wide and never restored on purpose: OpenBLAS's thread count is global and must not change while
// another thread is inside a BLAS call, which a desktop running a scan and a projection at once would do.
void useSingleThreadedBlas();

} // namespace custody
