//! A word-count HTTP service: GET /?text=a+b+c answers "3 words".
fn main() {
    let server = tiny_http::Server::http("0.0.0.0:8080").expect("bind 0.0.0.0:8080");
    println!("listening on 8080");
    for request in server.incoming_requests() {
        let query = request.url().split_once("?text=").map_or("", |(_, q)| q);
        let words = query.split('+').filter(|w| !w.is_empty()).count();
        let body = format!("wordcount: {words} words\n");
        let _ = request.respond(tiny_http::Response::from_string(body));
    }
}
