package org.embedrec.data.movielens;

import static org.embedrec.data.Fixtures.lines;
import static org.embedrec.data.Fixtures.write;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Hand-written files in the MovieLens layouts for the reader tests (never MovieLens data itself). */
public final class MovieLensFixtures {
    private MovieLensFixtures() {
    }

    /** 19 genre flags with the given genre indices set. */
    static String flags(int... on) {
        StringBuilder sb = new StringBuilder();
        for (int g = 0; g < 19; g++) {
            boolean set = false;
            for (int o : on) {
                set |= o == g;
            }
            sb.append(g == 0 ? "" : "|").append(set ? '1' : '0');
        }
        return sb.toString();
    }

    /**
     * A MovieLens 100K-format directory: 3 users, 4 items (one with an accented ISO-8859-1
     * title), 8 ratings, u.genre, and a canonical split u1.
     */
    public static Path ml100k(Path dir) {
        Charset latin1 = StandardCharsets.ISO_8859_1;
        write(dir, "u.data", lines(
                "1\t10\t5\t881250949",
                "1\t20\t3\t881250950",
                "2\t10\t4\t881250000",
                "2\t30\t1\t881251000",
                "2\t40\t2\t881252000",
                "3\t20\t4\t881253000",
                "3\t30\t5\t881254000",
                "3\t40\t3\t881255000"), latin1);
        write(dir, "u.item", lines(
                "10|Toy Tale (1995)|01-Jan-1995||http://example.org/1|" + flags(3, 4, 5),
                "20|Misérables, Les (1995)|1-Jan-1995||http://example.org/2|" + flags(8),
                "30|unknown||||" + flags(0),
                "40|Night Ride (1972)|4-Feb-1972||http://example.org/4|" + flags(1, 16)), latin1);
        StringBuilder genres = new StringBuilder();
        for (int g = 0; g < MovieLens100k.STANDARD_GENRES.size(); g++) {
            genres.append(MovieLens100k.STANDARD_GENRES.get(g)).append('|').append(g).append('\n');
        }
        write(dir, "u.genre", genres + "\n", latin1);
        write(dir, "u.user", lines(
                "1|24|M|technician|85711",
                "2|53|F|other|94043",
                "3|23|M|writer|32067"), latin1);
        write(dir, "u1.base", lines(
                "1\t10\t5\t881250949",
                "2\t10\t4\t881250000",
                "2\t30\t1\t881251000",
                "3\t20\t4\t881253000",
                "3\t40\t3\t881255000"), latin1);
        write(dir, "u1.test", lines(
                "1\t20\t3\t881250950",
                "2\t40\t2\t881252000",
                "3\t30\t5\t881254000"), latin1);
        return dir;
    }
}
