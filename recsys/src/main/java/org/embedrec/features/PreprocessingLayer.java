package org.embedrec.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A feature preprocessing layer, as in Keras: it turns raw feature values (strings, integer
 * keys, timestamps, text) into ids for an embedding or into normalised floats.
 *
 * <p><b>Life cycle.</b> Layers are immutable values, safe to share between threads. A layer
 * that learns from data is made by its {@code Builder}: {@code X.builder(...)} takes the
 * configuration, {@code adapt(batch)} may be called any number of times on training data, and
 * {@code build()} returns the layer. Layers with fixed state ({@link Hashing},
 * {@link CategoryCross}, explicit boundaries or vocabularies) have constructors or static
 * factories. Transforms work on flat primitive arrays and write into an output array the caller
 * may reuse.
 *
 * <p><b>JSON scheme.</b> {@link #toJson()} writes the layer's complete state as one JSON
 * object whose first two fields are {@code "type"} (the simple class name, e.g.
 * {@code "StringLookup"}) and {@code "version"} (currently 1); the other fields are listed on
 * each class. {@code X.fromJson(node)} reads that object back, checking the type, the version
 * and every field, and {@link #fromJson(JsonNode)} reads any layer by its type. A layer read back
 * is {@code equals} to the one written.
 */
public sealed interface PreprocessingLayer
        permits StringLookup, IntegerLookup, Hashing, Discretization, Normalization, TextVectorization,
        CategoryCross {

    /** The layer's state as a JSON object, {@code {"type": ..., "version": 1, ...}}. */
    ObjectNode toJson();

    /** Reads any preprocessing layer written by {@link #toJson()}, choosing the class by its {@code "type"}. */
    static PreprocessingLayer fromJson(JsonNode node) {
        String type = LayerJson.type(node);
        return switch (type) {
            case "StringLookup" -> StringLookup.fromJson(node);
            case "IntegerLookup" -> IntegerLookup.fromJson(node);
            case "Hashing" -> Hashing.fromJson(node);
            case "Discretization" -> Discretization.fromJson(node);
            case "Normalization" -> Normalization.fromJson(node);
            case "TextVectorization" -> TextVectorization.fromJson(node);
            case "CategoryCross" -> CategoryCross.fromJson(node);
            default -> throw new IllegalArgumentException("preprocessing layer JSON: unknown \"type\" \"" + type
                    + "\", expected one of StringLookup, IntegerLookup, Hashing, Discretization, Normalization, "
                    + "TextVectorization, CategoryCross");
        };
    }
}
