//! DNS: the lookups an AMT device makes to find its SCA. Until one is answered with an address
//! the device sends no Hello at all, so these explain the silence on port 9971. A message is
//! read with `hickory-proto` (over UDP, or one of a TCP stream's length-prefixed messages); only
//! the names that matter are kept: those whose first label is `provisionserver` (any case, the
//! firmware's own), and the names given with `--sca-fqdn`.

use std::net::IpAddr;

use hickory_proto::op::{Message, MessageType, ResponseCode};
use hickory_proto::rr::RData;

/// The DNS port.
pub const PORT: u16 = 53;

/// The first label of the name the firmware asks for.
const PROVISION_SERVER: &str = "provisionserver";

/// A DNS message about a watched name: a query, or a response to one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dns {
    pub id: u16,
    /// The name asked, as it was asked (without the root's final dot).
    pub name: String,
    /// `A`, `AAAA`, ...
    pub qtype: String,
    /// A response's code and its A/AAAA answers; `None` for a query.
    pub response: Option<Answer>,
}

/// What a DNS server answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// `NOERROR`, `NXDOMAIN`, `SERVFAIL`, `REFUSED`, ...
    pub rcode: String,
    pub addresses: Vec<IpAddr>,
}

/// Which names are watched.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// `--sca-fqdn` names, lowercase, without a final dot.
    pub fqdns: Vec<String>,
}

impl Names {
    /// Whether `name` is one the firmware asks for, or a `--sca-fqdn`.
    pub fn watched(&self, name: &str) -> bool {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        let first = name.split('.').next().unwrap_or_default();
        first == PROVISION_SERVER || self.fqdns.contains(&name)
    }
}

/// The message in a DNS payload, if it is about a watched name.
pub fn read(payload: &[u8], names: &Names) -> Option<Dns> {
    let message = Message::from_vec(payload).ok()?;
    let query = message.queries.first()?;
    let name = query.name.to_ascii(); // the name exactly as asked (no IDNA decoding)
    let name = name.trim_end_matches('.');
    if !names.watched(name) {
        return None;
    }
    let response = (message.metadata.message_type == MessageType::Response).then(|| Answer {
        rcode: rcode(message.metadata.response_code),
        addresses: addresses(&message),
    });
    Some(Dns {
        id: message.metadata.id,
        name: name.to_string(),
        qtype: query.query_type.to_string(),
        response,
    })
}

/// The messages of a DNS-over-TCP stream: each after its two-byte length (RFC 1035 4.2.2). A
/// message cut short by the end of the bytes is left out.
pub fn tcp_messages(stream: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = stream;
    std::iter::from_fn(move || {
        let (len, after) = rest.split_first_chunk::<2>()?;
        let message = after.get(..usize::from(u16::from_be_bytes(*len)))?;
        rest = after.get(message.len()..).unwrap_or_default();
        Some(message)
    })
}

/// The A and AAAA answers of a response.
pub fn addresses(message: &Message) -> Vec<IpAddr> {
    let records = message.answers.iter();
    let address = |record: &hickory_proto::rr::Record| match &record.data {
        RData::A(a) => Some(IpAddr::V4(a.0)),
        RData::AAAA(aaaa) => Some(IpAddr::V6(aaaa.0)),
        _ => None,
    };
    records.filter_map(address).collect()
}

/// The response code as DNS tools print it.
pub fn rcode(code: ResponseCode) -> String {
    match code {
        ResponseCode::NoError => "NOERROR".into(),
        ResponseCode::FormErr => "FORMERR".into(),
        ResponseCode::ServFail => "SERVFAIL".into(),
        ResponseCode::NXDomain => "NXDOMAIN".into(),
        ResponseCode::NotImp => "NOTIMP".into(),
        ResponseCode::Refused => "REFUSED".into(),
        other => format!("RCODE{}", u16::from(other)),
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use hickory_proto::op::{Message, MessageType, OpCode, Query, ResponseCode};
    use hickory_proto::rr::rdata::A;
    use hickory_proto::rr::{Name, RData, Record, RecordType};

    use super::{Answer, Names, read, tcp_messages};

    fn message(name: &str, response: Option<(ResponseCode, Option<Ipv4Addr>)>) -> Vec<u8> {
        let kind = match response {
            Some(_) => MessageType::Response,
            None => MessageType::Query,
        };
        let mut message = Message::new(7, kind, OpCode::Query);
        let name = Name::from_ascii(name).unwrap();
        message.add_query(Query::query(name.clone(), RecordType::A));
        if let Some((code, address)) = response {
            message.metadata.response_code = code;
            if let Some(address) = address {
                message.add_answer(Record::from_rdata(name, 60, RData::A(A(address))));
            }
        }
        message.to_vec().unwrap()
    }

    #[test]
    fn a_provisionserver_query_and_its_answer_are_read_in_any_case() {
        let names = Names::default();
        let query = read(&message("ProvisionServer.example.com.", None), &names).unwrap();
        assert_eq!(
            (query.id, query.name.as_str(), query.qtype.as_str()),
            (7, "ProvisionServer.example.com", "A")
        );
        assert_eq!(query.response, None);
        let answered = Some((ResponseCode::NoError, Some(Ipv4Addr::new(192, 0, 2, 1))));
        let response = read(&message("PROVISIONSERVER.example.com.", answered), &names).unwrap();
        assert_eq!(
            response.response,
            Some(Answer {
                rcode: "NOERROR".into(),
                addresses: vec!["192.0.2.1".parse().unwrap()],
            })
        );
    }

    #[test]
    fn error_codes_are_named_and_other_names_are_not_kept_unless_given() {
        let names = Names::default();
        let nx = read(
            &message("provisionserver.", Some((ResponseCode::NXDomain, None))),
            &names,
        );
        assert_eq!(nx.unwrap().response.unwrap().rcode, "NXDOMAIN");
        let fail = message(
            "Provisionserver.example.",
            Some((ResponseCode::ServFail, None)),
        );
        assert_eq!(
            read(&fail, &names).unwrap().response.unwrap().rcode,
            "SERVFAIL"
        );
        let other = message("sca.example.com.", None);
        assert_eq!(read(&other, &names), None);
        let given = Names {
            fqdns: vec!["sca.example.com".into()],
        };
        assert_eq!(read(&other, &given).unwrap().name, "sca.example.com");
        assert_eq!(read(&[0; 5], &given), None);
    }

    #[test]
    fn a_tcp_stream_holds_length_prefixed_messages_and_a_cut_one_is_left_out() {
        let one = message("provisionserver.example.", None);
        let mut stream = Vec::new();
        for _ in 0..2 {
            stream.extend(u16::try_from(one.len()).unwrap().to_be_bytes());
            stream.extend(&one);
        }
        stream.extend([0, 200, 1, 2]); // a third, cut short
        let messages: Vec<&[u8]> = tcp_messages(&stream).collect();
        assert_eq!(messages, vec![&one[..], &one[..]]);
    }
}
