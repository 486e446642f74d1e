package io.doorpair.crypto.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1BMPString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1T61String;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.ASN1UniversalString;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/** The rules for a subject common name (CN) shared by CSRs and certificates. */
public final class CommonNames {
  /** The longest accepted common name, in characters. */
  public static final int MAX_LENGTH = 128;

  private CommonNames() {}

  /**
   * Returns every CN of a DER-encoded X.500 name, in order; a CN whose value is not a directory
   * string is returned as an empty Optional.
   *
   * @throws IllegalArgumentException if the name is not a valid X.500 name
   */
  public static List<Optional<String>> of(byte[] encodedName) {
    X500Name name = X500Name.getInstance(encodedName);
    List<Optional<String>> names = new ArrayList<>();
    for (RDN rdn : name.getRDNs()) {
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        if (BCStyle.CN.equals(atv.getType())) {
          names.add(directoryString(atv.getValue()));
        }
      }
    }
    return names;
  }

  private static Optional<String> directoryString(ASN1Encodable value) {
    if (value instanceof ASN1UTF8String
        || value instanceof ASN1PrintableString
        || value instanceof ASN1IA5String
        || value instanceof ASN1T61String
        || value instanceof ASN1BMPString
        || value instanceof ASN1UniversalString) {
      return Optional.of(((ASN1String) value).getString());
    }
    return Optional.empty();
  }

  /**
   * Says what is wrong with a common name, or nothing when it is 1 to {@value #MAX_LENGTH}
   * printable ASCII characters (U+0020 to U+007E).
   */
  public static Optional<String> problem(String cn) {
    if (cn.isEmpty()) {
      return Optional.of("is empty");
    }
    if (cn.length() > MAX_LENGTH) {
      return Optional.of("is longer than " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < cn.length(); i++) {
      char c = cn.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return Optional.of("contains a character outside printable ASCII");
      }
    }
    return Optional.empty();
  }
}
