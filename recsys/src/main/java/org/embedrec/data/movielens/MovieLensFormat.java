package org.embedrec.data.movielens;

/**
 * The MovieLens releases {@link MovieLensReader} reads, each recognised by its ratings file
 * (the marker); the other files of a release are read when present.
 */
public enum MovieLensFormat {
    /** MovieLens 100K: u.data, with optional u.item, u.genre, u.user. */
    ML_100K("u.data", "MovieLens 100K, with optional u.item, u.genre, u.user"),
    /** MovieLens 1M: ratings.dat, with optional movies.dat, users.dat. */
    ML_1M("ratings.dat", "MovieLens 1M, with optional movies.dat, users.dat"),
    /** The CSV releases (latest, latest-small, 20M, 25M): ratings.csv, with optional movies.csv. */
    ML_CSV("ratings.csv", "MovieLens CSV releases, with optional movies.csv");

    private final String marker;
    private final String description;

    MovieLensFormat(String marker, String description) {
        this.marker = marker;
        this.description = description;
    }

    /** The file whose presence identifies the format. */
    public String marker() {
        return marker;
    }

    public String description() {
        return description;
    }
}
