package org.rnn4j.zoo.stats;

/**
 * Student's t distribution with {@code df} degrees of freedom:
 * {@code P(T <= t) = 1 - I_x(df/2, 1/2) / 2} for {@code t >= 0}, with {@code x = df / (df + t^2)}
 * and {@code I} the regularized incomplete beta function, evaluated by its continued fraction
 * (modified Lentz) with {@code ln Gamma} from Lanczos' approximation (g = 7, 9 terms; relative error
 * below 1e-13 for positive arguments).
 */
public final class StudentT {
    private static final double[] LANCZOS = {
        0.99999999999980993,
        676.5203681218851,
        -1259.1392167224028,
        771.32342877765313,
        -176.61502916214059,
        12.507343278686905,
        -0.13857109526572012,
        9.9843695780195716e-6,
        1.5056327351493116e-7
    };
    private static final double TINY = 1e-300;
    private static final double EPS = 1e-15;
    private static final int MAX_ITERATIONS = 10_000;

    private StudentT() {}

    /** {@code P(T <= t)}; {@code df > 0}. */
    public static double cdf(double t, double df) {
        checkDf(df);
        if (Double.isNaN(t)) {
            return Double.NaN;
        }
        if (Double.isInfinite(t)) {
            return t > 0 ? 1 : 0;
        }
        double tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
        return t >= 0 ? 1 - tail : tail;
    }

    /** {@code P(|T| >= |t|)}, the two-sided p-value of a t statistic. */
    public static double twoSidedP(double t, double df) {
        checkDf(df);
        if (Double.isNaN(t)) {
            return Double.NaN;
        }
        if (Double.isInfinite(t)) {
            return 0;
        }
        return regularizedBeta(df / (df + t * t), df / 2, 0.5);
    }

    private static void checkDf(double df) {
        if (!(df > 0) || Double.isInfinite(df)) {
            throw new IllegalArgumentException("Student's t needs degrees of freedom > 0 and finite, got " + df);
        }
    }

    /** {@code ln Gamma(x)} for {@code x > 0}. */
    static double lnGamma(double x) {
        if (!(x > 0)) {
            throw new IllegalArgumentException("lnGamma needs x > 0, got " + x);
        }
        if (x < 0.5) {
            // Reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x).
            return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
        }
        double z = x - 1;
        double a = LANCZOS[0];
        double t = z + 7.5;
        for (int i = 1; i < LANCZOS.length; i++) {
            a += LANCZOS[i] / (z + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /** The regularized incomplete beta function {@code I_x(a, b)}, {@code x} in [0, 1], {@code a, b > 0}. */
    static double regularizedBeta(double x, double a, double b) {
        if (!(x >= 0 && x <= 1)) {
            throw new IllegalArgumentException("the incomplete beta needs x in [0, 1], got " + x);
        }
        if (x == 0 || x == 1) {
            return x;
        }
        double lnFront = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
        // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
        if (x < (a + 1) / (a + b + 2)) {
            return Math.exp(lnFront) * continuedFraction(x, a, b) / a;
        }
        return 1 - Math.exp(lnFront) * continuedFraction(1 - x, b, a) / b;
    }

    private static double continuedFraction(double x, double a, double b) {
        double qab = a + b;
        double qap = a + 1;
        double qam = a - 1;
        double c = 1;
        double d = 1 - qab * x / qap;
        if (Math.abs(d) < TINY) {
            d = TINY;
        }
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= MAX_ITERATIONS; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < TINY) {
                d = TINY;
            }
            c = 1 + aa / c;
            if (Math.abs(c) < TINY) {
                c = TINY;
            }
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < TINY) {
                d = TINY;
            }
            c = 1 + aa / c;
            if (Math.abs(c) < TINY) {
                c = TINY;
            }
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < EPS) {
                return h;
            }
        }
        throw new ArithmeticException(
                "the incomplete beta continued fraction did not converge for x=" + x + ", a=" + a + ", b=" + b);
    }
}
