package org.embedrec.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The user side table, row {@code u} describing dense user {@code u} of the interactions' user
 * {@link IdMapping}: age, gender, occupation and zip code, each optional. Ages are as the source
 * gives them: years in MovieLens 100K, the age-group code (1, 18, 25, 35, 45, 50, 56) in 1M.
 */
public final class Users {
    private final int[] ages;
    private final String[] genders;
    private final String[] occupations;
    private final String[] zips;

    private Users(int[] ages, String[] genders, String[] occupations, String[] zips) {
        this.ages = ages;
        this.genders = genders;
        this.occupations = occupations;
        this.zips = zips;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int size() {
        return ages.length;
    }

    public OptionalInt age(int user) {
        return ages[user] < 0 ? OptionalInt.empty() : OptionalInt.of(ages[user]);
    }

    public Optional<String> gender(int user) {
        return Optional.ofNullable(genders[user]);
    }

    public Optional<String> occupation(int user) {
        return Optional.ofNullable(occupations[user]);
    }

    public Optional<String> zip(int user) {
        return Optional.ofNullable(zips[user]);
    }

    @Override
    public String toString() {
        return "Users[size=" + size() + "]";
    }

    /** Appends users in dense id order. */
    public static final class Builder {
        private final List<Integer> ages = new ArrayList<>();
        private final List<String> genders = new ArrayList<>();
        private final List<String> occupations = new ArrayList<>();
        private final List<String> zips = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds the next user.
         * @param age negative when unknown
         * @param gender null or empty when unknown (likewise occupation and zip)
         */
        public Builder add(int age, String gender, String occupation, String zip) {
            ages.add(age < 0 ? -1 : age);
            genders.add(emptyToNull(gender));
            occupations.add(emptyToNull(occupation));
            zips.add(emptyToNull(zip));
            return this;
        }

        private static String emptyToNull(String s) {
            return s == null || s.isEmpty() ? null : s;
        }

        public int size() {
            return ages.size();
        }

        public Users build() {
            int[] a = new int[ages.size()];
            for (int k = 0; k < a.length; k++) {
                a[k] = ages.get(k);
            }
            return new Users(a, genders.toArray(new String[0]), occupations.toArray(new String[0]),
                    zips.toArray(new String[0]));
        }
    }
}
